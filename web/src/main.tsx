import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App } from './App';
import { usePath } from './lib/router';
import { REFERENCE_PATH, ReferenceRoute } from './pages/ReferenceRoute';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 10_000, refetchOnWindowFocus: true } },
});

/** The API reference is public and outside the dashboard shell; everything else is the dashboard. */
function Root() {
  return usePath() === REFERENCE_PATH ? <ReferenceRoute /> : <App />;
}

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <Root />
      </QueryClientProvider>
    </StrictMode>,
  );
