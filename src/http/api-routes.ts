/**
 * Every route of pont's HTTP API and who may use it: the one list the app mounts (createApp) and
 * the authorisation matrix test reads, so that a route cannot be added without saying who may use
 * it. Fixed paths come before the patterns that would also match them (`/fhir/metadata` before
 * `/fhir/:type`). Open: /healthz and /fhir/metadata, and, mounted beside this list, the token
 * endpoint and the SMART configuration (a client reads them before it has a token).
 */
import type { Request } from 'express';
import type { RouteRule } from './security/routes.js';

const typeOf = (req: Request): string | undefined => (typeof req.params.type === 'string' ? req.params.type : undefined);

export type RouteName =
  | 'healthz'
  | 'readyz'
  | 'metrics'
  | 'openapi'
  | 'ingest'
  | 'message-status'
  | 'check'
  | 'metadata'
  | 'measures'
  | 'measure'
  | 'evaluate-measure'
  | 'evaluate-measure-post'
  | 'export-system'
  | 'export-system-post'
  | 'export-patient'
  | 'export-patient-post'
  | 'export-group'
  | 'export-group-post'
  | 'export-status'
  | 'export-cancel'
  | 'export-output'
  | 'dead-letters'
  | 'dead-letters-replay-all'
  | 'dead-letter-replay'
  | 'dead-letter-discard'
  | 'audit-events'
  | 'subscription-create'
  | 'subscription-list'
  | 'subscription-read'
  | 'subscription-update'
  | 'subscription-delete'
  | 'search'
  | 'search-post'
  | 'read'
  | 'history'
  | 'vread';

export interface ApiRoute extends RouteRule {
  readonly name: RouteName;
}

export const API_ROUTES: readonly ApiRoute[] = [
  { name: 'healthz', method: 'GET', path: '/healthz', permission: 'open' },
  { name: 'readyz', method: 'GET', path: '/readyz', permission: 'admin' },
  { name: 'metrics', method: 'GET', path: '/metrics', permission: 'admin' },
  { name: 'openapi', method: 'GET', path: '/openapi.json', permission: 'describe' },
  { name: 'ingest', method: 'POST', path: '/ingest/:source', permission: 'ingest' },
  { name: 'message-status', method: 'GET', path: '/messages/:id', permission: 'status', options: { source: 'handler' } },
  { name: 'check', method: 'POST', path: '/$check', permission: 'check' },
  { name: 'dead-letters', method: 'GET', path: '/admin/dead-letters', permission: 'admin' },
  { name: 'dead-letters-replay-all', method: 'POST', path: '/admin/dead-letters/$replay', permission: 'admin' },
  { name: 'dead-letter-replay', method: 'POST', path: '/admin/dead-letters/:id/$replay', permission: 'admin' },
  { name: 'dead-letter-discard', method: 'POST', path: '/admin/dead-letters/:id/$discard', permission: 'admin' },
  { name: 'metadata', method: 'GET', path: '/fhir/metadata', permission: 'open' },
  { name: 'export-system', method: 'GET', path: '/fhir/$export', permission: 'export' },
  { name: 'export-system-post', method: 'POST', path: '/fhir/$export', permission: 'export' },
  { name: 'export-patient', method: 'GET', path: '/fhir/Patient/$export', permission: 'export' },
  { name: 'export-patient-post', method: 'POST', path: '/fhir/Patient/$export', permission: 'export' },
  { name: 'export-group', method: 'GET', path: '/fhir/Group/:id/$export', permission: 'export' },
  { name: 'export-group-post', method: 'POST', path: '/fhir/Group/:id/$export', permission: 'export' },
  { name: 'export-status', method: 'GET', path: '/fhir/$export-status/:job', permission: 'export' },
  { name: 'export-cancel', method: 'DELETE', path: '/fhir/$export-status/:job', permission: 'export' },
  { name: 'export-output', method: 'GET', path: '/fhir/$export-output/:job/:file', permission: 'export' },
  { name: 'audit-events', method: 'GET', path: '/fhir/AuditEvent', permission: 'admin' },
  {
    name: 'subscription-create',
    method: 'POST',
    path: '/fhir/Subscription',
    permission: 'subscribe',
    options: { resourceType: 'Subscription', permissions: ['c'], source: 'handler' },
  },
  {
    name: 'subscription-list',
    method: 'GET',
    path: '/fhir/Subscription',
    permission: 'subscribe',
    options: { resourceType: 'Subscription', permissions: ['s'], source: 'handler' },
  },
  {
    name: 'subscription-read',
    method: 'GET',
    path: '/fhir/Subscription/:id',
    permission: 'subscribe',
    options: { resourceType: 'Subscription', permissions: ['r'], source: 'handler' },
  },
  {
    name: 'subscription-update',
    method: 'PUT',
    path: '/fhir/Subscription/:id',
    permission: 'subscribe',
    options: { resourceType: 'Subscription', permissions: ['u'], source: 'handler' },
  },
  {
    name: 'subscription-delete',
    method: 'DELETE',
    path: '/fhir/Subscription/:id',
    permission: 'subscribe',
    options: { resourceType: 'Subscription', permissions: ['d'], source: 'handler' },
  },
  { name: 'measures', method: 'GET', path: '/fhir/Measure', permission: 'search', options: { resourceType: 'Measure' } },
  { name: 'evaluate-measure', method: 'GET', path: '/fhir/Measure/:id/$evaluate-measure', permission: 'read', options: { resourceType: 'MeasureReport' } },
  { name: 'evaluate-measure-post', method: 'POST', path: '/fhir/Measure/:id/$evaluate-measure', permission: 'read', options: { resourceType: 'MeasureReport' } },
  { name: 'measure', method: 'GET', path: '/fhir/Measure/:id', permission: 'read', options: { resourceType: 'Measure' } },
  { name: 'search', method: 'GET', path: '/fhir/:type', permission: 'search', options: { resourceType: typeOf } },
  { name: 'search-post', method: 'POST', path: '/fhir/:type/_search', permission: 'search', options: { resourceType: typeOf } },
  { name: 'history', method: 'GET', path: '/fhir/:type/:id/_history', permission: 'read', options: { resourceType: typeOf } },
  { name: 'vread', method: 'GET', path: '/fhir/:type/:id/_history/:vid', permission: 'read', options: { resourceType: typeOf } },
  { name: 'read', method: 'GET', path: '/fhir/:type/:id', permission: 'read', options: { resourceType: typeOf } },
];
