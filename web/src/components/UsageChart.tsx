import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** A small uPlot bar-ish line chart of one series over time; sized to its container. */
export function UsageChart({
  title,
  times,
  values,
  color,
}: {
  title: string;
  times: number[];
  values: number[];
  color: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = Math.max(260, el.clientWidth);
    const plot = new uPlot(
      {
        width,
        height: 180,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true } },
        axes: [
          { stroke: '#6b7280', grid: { stroke: '#f0f0f2' } },
          { stroke: '#6b7280', grid: { stroke: '#f0f0f2' }, size: 56 },
        ],
        series: [
          {},
          {
            label: title,
            stroke: color,
            fill: `${color}22`,
            width: 2,
            paths: uPlot.paths.stepped?.({ align: 1 }),
            points: { show: times.length < 3 },
          },
        ],
      },
      [times, values],
      el,
    );
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(260, el.clientWidth), height: 180 }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [title, times, values, color]);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div ref={box} role="img" aria-label={`${title} chart`} />
    </figure>
  );
}
