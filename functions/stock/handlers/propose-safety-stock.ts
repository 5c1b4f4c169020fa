/**
 * R-FULFIL-9: the sales clerk proposes a balance's safety stock (one proposal waiting at a time);
 * the sales manager decides it in the approval machine started here.
 */
import { startApproval } from '../../approvals/workflow.js';
import { actorOf } from '../../shared/auth.js';
import { unavailable } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { withIdempotency } from '../../shared/idempotency.js';
import { logger } from '../../shared/logger.js';
import { stockRoutes } from '../routes.js';
import { proposalView, proposeSafetyStock, subjectIdOf, withdrawProposal } from '../safety-proposals.js';

export const handler = httpHandler(
  stockRoutes.proposeSafetyStock,
  async ({ params, body, user }) => {
    const by = actorOf(user);
    const proposal = await proposeSafetyStock(params.productCode, body, by);
    try {
      await startApproval('safetyStockApproval', subjectIdOf(proposal), ['sales_manager']);
    } catch (err) {
      // Nobody would ever decide it: the proposal is withdrawn and the balance free for the next one.
      logger.error('safety stock approval could not start', { proposalId: proposal.proposalId, error: err as Error });
      if (!(await withdrawProposal(proposal, by, 'the approval workflow could not start'))) logger.error('could not withdraw a proposal whose approval did not start', { proposalId: proposal.proposalId });
      throw unavailable(`the approval workflow could not start; proposal ${proposal.proposalId} was withdrawn: propose it again in a moment`);
    }
    return { status: 202, body: proposalView(proposal) };
  },
  { idempotency: withIdempotency },
);
