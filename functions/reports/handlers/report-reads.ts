/** One function for the reads (same access). */
import { notFound } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { routeGroup } from '../../shared/route-group.js';
import { getReport, listReports } from '../reports.js';
import { reportRoutes } from '../routes.js';

export const handler = routeGroup([
  [reportRoutes.listReports, httpHandler(reportRoutes.listReports, async ({ query }) => ({ status: 200, body: await listReports(query.kind, { limit: query.limit, cursor: query.cursor }) }))],
  [
    reportRoutes.getReport,
    httpHandler(reportRoutes.getReport, async ({ params }) => {
      const report = await getReport(params.reportId);
      if (!report) throw notFound(`no report ${params.reportId}`);
      return { status: 200, body: report };
    }),
  ],
]);
