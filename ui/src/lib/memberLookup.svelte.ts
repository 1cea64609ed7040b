// The registry's member search as the member pickers use it: active members whose name or
// number holds the typed text, in member-number order. Only the newest request's answer is
// kept, and typing waits a moment before asking.
import * as api from './api';
import type { MemberRow } from './bindings/MemberRow';
import type { Tier } from './bindings/Tier';
import { notifyError } from './toasts.svelte';

export class MemberLookup {
  /** The members found by the newest search. */
  rows = $state<MemberRow[]>([]);
  /** How many members match in all (more than `rows` when the list is cut at the limit). */
  total = $state(0);
  /** A search is under way. */
  searching = $state(false);

  #limit: number;
  #tier: () => Tier | null;
  #onFound: () => void;
  #requestNo = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `tier` narrows the search (read when it runs); `onFound` runs after each answer kept. */
  constructor(limit: number, onFound: () => void, tier: () => Tier | null = () => null) {
    this.#limit = limit;
    this.#onFound = onFound;
    this.#tier = tier;
  }

  /** Searches for `text` now. */
  async run(text: string): Promise<void> {
    const mine = ++this.#requestNo;
    this.searching = true;
    try {
      const page = await api.listMembers({
        search: text,
        tier: this.#tier(),
        status: 'active',
        kind: null,
        origin: null,
        region: '',
        sort: 'member_no',
        offset: 0,
        limit: this.#limit,
      });
      if (mine !== this.#requestNo) return;
      this.rows = page.rows;
      this.total = page.total;
      this.#onFound();
    } catch (e) {
      if (mine === this.#requestNo) notifyError(e);
    } finally {
      if (mine === this.#requestNo) this.searching = false;
    }
  }

  /** Searches after `ms` for the text then given by `text`, unless typing goes on. */
  later(text: () => string, ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.run(text()), ms);
  }

  /** Drops a search still waiting to start. */
  cancel(): void {
    clearTimeout(this.#timer);
  }
}
