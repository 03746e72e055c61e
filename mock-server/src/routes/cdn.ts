/**
 * The vendor's CDN path for a workspace's widget: /cdn/js/<workspaceId>.js. The script finds
 * its workspace and its API base from its own URL, so the same bytes serve every workspace.
 * The build's source map is served beside it, at /cdn/js/<name>.js.map, whatever name the
 * build's `sourceMappingURL` gives it.
 */
import { Router } from 'express';
import { ApiError } from '../http.js';
import type { Store } from '../store.js';
import type { WidgetSource } from '../widget-source.js';

export function cdn(store: Store, widget: WidgetSource): Router {
  const router = Router();
  router.get('/cdn/js/:file', async (req, res) => {
    if (/^[A-Za-z0-9_.-]{1,100}\.js\.map$/.test(req.params.file)) {
      const map = await widget.loadMap();
      if (map === null) throw new ApiError(404, 'not_found', 'the widget build has no source map');
      res.type('application/json').set('Cache-Control', 'no-store').send(map);
      return;
    }
    const match = /^([A-Za-z0-9_-]{1,64})\.js$/.exec(req.params.file);
    if (!match) throw new ApiError(404, 'not_found', 'widget scripts are served as /cdn/js/<workspaceId>.js');
    if (!store.has(match[1]!)) throw new ApiError(404, 'unknown_workspace', `no workspace ${JSON.stringify(match[1])}`);
    res
      .type('text/javascript')
      .set('Cache-Control', 'no-store')
      .send(await widget.load());
  });
  return router;
}
