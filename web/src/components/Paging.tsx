import { errorMessage } from '../lib/api';
import { ErrorState } from './States';

/** What a cursor-paged list (useInfiniteQuery) exposes to the two parts below. */
interface PagedList {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  isError: boolean;
  isFetchNextPageError: boolean;
  error: unknown;
  fetchNextPage: () => unknown;
  refetch: () => unknown;
}

/**
 * The list's own failure (its first page): a full error state with a retry. A failed "Load more" is not
 * this; it shows under the rows already loaded (LoadMore), so they stay on screen.
 */
export function ListError({ list }: { list: PagedList }) {
  if (!list.isError || list.isFetchNextPageError) return null;
  return <ErrorState error={list.error} onRetry={() => list.refetch()} />;
}

/** "Load more" under a cursor-paged list: shown while the server says there is a next page. */
export function LoadMore({ list }: { list: PagedList }) {
  if (!list.hasNextPage) return null;
  return (
    <div className="load-more">
      {list.isFetchNextPageError ? <p className="field-error">{errorMessage(list.error)}</p> : null}
      <button
        type="button"
        className="btn"
        disabled={list.isFetchingNextPage}
        onClick={() => list.fetchNextPage()}
      >
        {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
      </button>
    </div>
  );
}
