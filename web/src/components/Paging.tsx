import { errorMessage } from '../lib/api';

/** "Load more" under a cursor-paged list: shown while the server says there is a next page. */
export function LoadMore(props: {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
  error?: unknown;
}) {
  if (!props.hasNextPage) return null;
  return (
    <div className="load-more">
      {props.error ? <p className="field-error">{errorMessage(props.error)}</p> : null}
      <button
        type="button"
        className="btn"
        disabled={props.isFetchingNextPage}
        onClick={() => props.fetchNextPage()}
      >
        {props.isFetchingNextPage ? 'Loading…' : 'Load more'}
      </button>
    </div>
  );
}
