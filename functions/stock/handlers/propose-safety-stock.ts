/**
 * R-FULFIL-9: the sales clerk proposes a balance's safety stock (one proposal waiting at a time);
 * the sales manager decides it in the approval machine, whose start is written with the proposal.
 */
import { actorOf } from '../../shared/auth.js';
import { httpHandler } from '../../shared/http.js';
import { withIdempotency } from '../../shared/idempotency.js';
import { stockRoutes } from '../routes.js';
import { type StoredProposal, proposalView, proposeSafetyStock } from '../safety-proposals.js';

const answer = (proposal: StoredProposal) => ({ status: 202, body: proposalView(proposal) });

export const handler = httpHandler(
  stockRoutes.proposeSafetyStock,
  async ({ params, body, user }) => answer(await proposeSafetyStock(params.productCode, body, actorOf(user), answer)),
  { idempotency: withIdempotency },
);
