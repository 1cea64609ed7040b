// Opening an attached file, for every card that lists attachments (a member's, an
// application's, a vote's report). The backend opens it with the PC's own program.
import * as api from './api';
import { notifyError } from './toasts.svelte';

/** Opens attachment `id`; a failure is shown as a toast. */
export async function openAttachment(id: number): Promise<void> {
  try {
    await api.openAttachment(id);
  } catch (e) {
    notifyError(e);
  }
}
