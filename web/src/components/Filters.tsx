/**
 * A row of labelled filters over a list. Applying them replaces the page's query string (the caller's
 * `onApply`), so a filtered view can be linked and survives a reload; "Clear" empties them all.
 */
import { useState, type FormEvent } from 'react';
import { Field } from './Field';

export interface FilterSpec {
  name: string;
  label: string;
  placeholder?: string;
  type?: 'text' | 'datetime-local' | 'number';
  options?: ReadonlyArray<{ value: string; label: string }>;
}

export function Filters(props: {
  label: string;
  specs: FilterSpec[];
  values: Record<string, string>;
  onApply: (values: Record<string, string>) => void;
}) {
  // Re-seeded when the applied values change (Back, a link), by the key below.
  return <FilterForm key={JSON.stringify(props.values)} {...props} />;
}

function FilterForm({ label, specs, values, onApply }: Parameters<typeof Filters>[0]) {
  const [draft, setDraft] = useState(values);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(draft);
  };
  const clear = () => onApply(Object.fromEntries(specs.map((s) => [s.name, ''])));
  return (
    <form className="filters card" role="search" aria-label={label} onSubmit={submit}>
      {specs.map((s) => (
        <Field
          key={s.name}
          name={s.name}
          label={s.label}
          type={s.type ?? 'text'}
          placeholder={s.placeholder}
          options={s.options}
          value={draft[s.name] ?? ''}
          onChange={(e) => setDraft({ ...draft, [s.name]: e.target.value })}
        />
      ))}
      <div className="filters-actions">
        <button type="submit" className="btn btn-primary">
          Apply filters
        </button>
        <button type="button" className="btn btn-quiet" onClick={clear}>
          Clear
        </button>
      </div>
    </form>
  );
}
