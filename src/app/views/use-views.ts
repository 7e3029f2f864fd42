import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { appStore, type AppState } from '../store.ts';
import type { ViewsState } from './views-slice.ts';

/** The page's store seen with the views slice (merged in store.ts). */
export const viewsStore = appStore as unknown as StoreApi<ViewsState>;

/** React hook over the views' state: `const brush = useViews((s) => s.brush)`. */
export function useViews<T>(selector: (s: ViewsState) => T): T {
  return useStore(appStore, selector as (s: AppState) => T);
}
