import type { Level } from '../lib/bindings/Level';

// The activity list's year and search, kept outside the component so they survive a visit to
// an activity and are as they were on the way back.

export const activityList = $state<{ typed: string; search: string; year: number | null }>({
  typed: '',
  search: '',
  year: null,
});

/** Where the activities area is: the list, or one activity. Kept so that coming back to the
 *  area shows the same place. */
export type ActivityView = { name: 'list' } | { name: 'detail'; id: number };

export const activityView = $state<{ current: ActivityView }>({ current: { name: 'list' } });

/** The watch-list's level filter (null: every level); the 工作台's figures set it. */
export const watchFilter = $state<{ level: Level | null }>({ level: null });
