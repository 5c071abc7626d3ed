/**
 * Who receives what: the facts of a record version that decide its recipients, the targets it
 * goes to (or is held from, by the person's decision), and the minimum-necessary Bundle each
 * receives. Pure: everything, reference data and the person's decisions included, is passed in.
 */
export { type ConsentVerdict, consentFor, type DecidedBy, type HoldReason, type InformationSharing, type SharingDecision } from './consent.js';
export { type DeliverableType, defaultResources, type RecipientKind } from './minimum-necessary.js';
export { pruneBundle } from './prune.js';
export { type GpPracticeFact, healthBoardOfOrganisation, type Recipients, type ResidenceFact, type RoutingReference, recipientsOf } from './recipients.js';
export { type Entitlement, type Routing, recipientOf, route } from './route.js';
