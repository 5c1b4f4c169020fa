/** GET /exports and GET /exports/{exportId} (R-AR-3): the records, and for a finished export its manifest with fresh download URLs. */
import { nowIso } from '../../shared/clock.js';
import { notFound } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { routeGroup } from '../../shared/route-group.js';
import { MANIFEST_NAME } from '../exporter.js';
import { exportRoutes } from '../routes.js';
import type { ExportView } from '../schemas.js';
import { DOWNLOAD_URL_SECONDS, exportStorage } from '../storage.js';
import { getExport, listExports } from '../store.js';

export const handler = routeGroup([
  [exportRoutes.listExports, httpHandler(exportRoutes.listExports, async ({ query }) => ({ status: 200, body: await listExports({ limit: query.limit, cursor: query.cursor }) }))],
  [
    exportRoutes.getExport,
    httpHandler(exportRoutes.getExport, async ({ params }) => {
      const record = await getExport(params.exportId);
      if (!record) throw notFound(`no export ${params.exportId}`);
      if (record.status !== 'SUCCEEDED') return { status: 200, body: { ...record, files: [] } satisfies ExportView };
      // Signed now, for a short while: a URL is never stored, so an old record never hands out a live link.
      const storage = await exportStorage();
      const urlsExpireAt = new Date(Date.parse(nowIso()) + DOWNLOAD_URL_SECONDS * 1000).toISOString();
      const url = (name: string) => storage.downloadUrl(`${record.exportId}/${name}`, DOWNLOAD_URL_SECONDS);
      const view: ExportView = {
        ...record,
        files: await Promise.all(record.files.map(async (f) => ({ ...f, url: await url(f.name) }))),
        manifest: { name: MANIFEST_NAME, url: await url(MANIFEST_NAME) },
        urlsExpireAt,
      };
      return { status: 200, body: view };
    }),
  ],
]);
