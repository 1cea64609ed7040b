// The application list's search and state filter, and the application last open, kept outside
// the components so they survive a visit to an application or to another area (a recommender's
// member record, say).
import type { ApplicationState } from '../lib/bindings/ApplicationState';

export const appsList = $state<{
  /** What is in the search box. */
  typed: string;
  /** What the list was last searched for (the box, debounced). */
  search: string;
  filter: ApplicationState | null;
  scrollTop: number;
  /** The application whose detail was showing when the area was left; null for the list. */
  openId: number | null;
}>({ typed: '', search: '', filter: null, scrollTop: 0, openId: null });
