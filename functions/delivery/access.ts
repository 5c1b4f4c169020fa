/** Who may see which delivery note: a sales rep only those of own orders (R-INFO-2); others by role. */
import { onlyOwnCustomers } from '../customers/rules.js';
import type { User } from '../shared/auth.js';
import { forbidden } from '../shared/errors.js';
import type { DeliveryNote } from './schemas.js';
import { getDeliveryNote } from './store.js';

export function assertMaySeeNote(user: User, note: Pick<DeliveryNote, 'ownerRepId' | 'deliveryNoteId'>): void {
  if (onlyOwnCustomers(user) && note.ownerRepId !== user.userId) throw forbidden(`${note.deliveryNoteId} is for another sales rep's customer`);
}

/** The note, read consistently, for a step that changes it. */
export const noteToChange = (deliveryNoteId: string) => getDeliveryNote(deliveryNoteId, true);
