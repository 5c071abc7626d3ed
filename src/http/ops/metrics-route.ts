/** `GET /metrics`: the Registry passed in (never prom-client's global one), in Prometheus' text format. */
import { Router } from 'express';
import type { Registry } from 'prom-client';

export function metricsRoute(registry: Registry): Router {
  const router = Router();
  router.get('/metrics', async (_req, res, next) => {
    try {
      const text = await registry.metrics();
      res.set('Cache-Control', 'no-store').type(registry.contentType).send(text);
    } catch (err) {
      next(err);
    }
  });
  return router;
}
