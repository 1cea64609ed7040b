// The member list's search, filters, sort and page, kept outside the component so they
// survive a visit to a member's detail or form and are as they were on the way back.
import type { Kind } from '../lib/bindings/Kind';
import type { MemberQuery } from '../lib/bindings/MemberQuery';
import type { Origin } from '../lib/bindings/Origin';
import type { Sort } from '../lib/bindings/Sort';
import type { Status } from '../lib/bindings/Status';
import type { Tier } from '../lib/bindings/Tier';

export const PAGE_SIZE = 50;

/** A member ticked in the list (for printing certificates together), as the list showed it. */
export type SelectedMember = { id: number; name: string; status: Status };

export type ListState = {
  /** What is in the search box. */
  typed: string;
  /** What the list was last searched for (the box, debounced). */
  search: string;
  tier: Tier | null;
  status: Status | null;
  kind: Kind | null;
  origin: Origin | null;
  region: string;
  sort: Sort;
  page: number;
  scrollTop: number;
  /** Set to ask the list to focus its search box (Ctrl+F from another view). */
  focusSearch: boolean;
  /** Ticked members, in the order ticked; kept across pages, searches and filters. */
  selected: SelectedMember[];
};

export const listState = $state<ListState>({
  typed: '',
  search: '',
  tier: null,
  status: null,
  kind: null,
  origin: null,
  region: '',
  sort: 'member_no',
  page: 0,
  scrollTop: 0,
  focusSearch: false,
  selected: [],
});

/** The query of the list as it stands: its search, filters and sort, at page `page`. A roster
 *  takes the same query; the backend then ignores the paging and takes every match. */
export function memberQuery(s: ListState, page = s.page): MemberQuery {
  return {
    search: s.search,
    tier: s.tier,
    status: s.status,
    kind: s.kind,
    origin: s.origin,
    region: s.region,
    sort: s.sort,
    offset: page * PAGE_SIZE,
    limit: PAGE_SIZE,
  };
}

export function hasFilters(s: ListState): boolean {
  return (
    s.search.trim() !== '' ||
    s.tier !== null ||
    s.status !== null ||
    s.kind !== null ||
    s.origin !== null ||
    s.region !== ''
  );
}

export function clearFilters(s: ListState): void {
  s.typed = '';
  s.search = '';
  s.tier = null;
  s.status = null;
  s.kind = null;
  s.origin = null;
  s.region = '';
  s.page = 0;
}
