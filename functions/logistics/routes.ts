/** Carrier register routes (R-FULFIL-6): logistics and the admin maintain it; operations and audit read it. */
import { type FunctionDefinition, defineRoute } from '../shared/definitions.js';
import type { Role } from '../shared/roles.js';
import { ChangeEntry, PageQuery, pageOf } from '../shared/schemas.js';
import { Carrier, CarrierIdParams, CreateCarrier, ListCarriersQuery, QualificationDecision, UpdateCarrier } from './schemas.js';

export const CARRIER_MAINTAINERS: readonly Role[] = ['logistics', 'admin'];
export const CARRIER_READERS: readonly Role[] = ['logistics', 'warehouse', 'sales_clerk', 'order_desk', 'admin', 'auditor'];

/** Routes with exactly the same access share a function (functions/shared/route-group.ts). */
const carrierReads: FunctionDefinition = {
  id: 'CarrierReads',
  entry: 'functions/logistics/handlers/carrier-reads.ts',
  description: 'List and read carriers',
  access: { tables: { carriers: 'read' } },
};
const carrierChanges: FunctionDefinition = {
  id: 'CarrierChanges',
  entry: 'functions/logistics/handlers/carrier-changes.ts',
  description: 'Change a carrier or decide its qualification, with the history',
  access: { tables: { carriers: 'readwrite', audit: 'write' } },
};

export const logisticsRoutes = {
  createCarrier: defineRoute({
    operationId: 'createCarrier',
    method: 'POST',
    path: '/carriers',
    tag: 'Carriers',
    summary: 'Add a carrier to the register; it gets its number CR-NNNNNN and starts not qualified unless the body carries a qualification',
    roles: CARRIER_MAINTAINERS,
    body: CreateCarrier,
    idempotent: true,
    responses: { 201: { description: 'Created', schema: Carrier } },
    function: {
      id: 'CreateCarrier',
      entry: 'functions/logistics/handlers/create-carrier.ts',
      description: 'Add a carrier',
      access: { tables: { carriers: 'write', counters: 'readwrite', audit: 'write', idempotency: 'readwrite' } },
    },
  }),
  listCarriers: defineRoute({
    operationId: 'listCarriers',
    method: 'GET',
    path: '/carriers',
    tag: 'Carriers',
    summary: 'List and search carriers by name; qualified=true lists those qualified today (R-FULFIL-6)',
    roles: CARRIER_READERS,
    query: ListCarriersQuery,
    responses: { 200: { description: 'OK', schema: pageOf(Carrier, 'CarrierPage') } },
    function: carrierReads,
  }),
  getCarrier: defineRoute({
    operationId: 'getCarrier',
    method: 'GET',
    path: '/carriers/{carrierId}',
    tag: 'Carriers',
    summary: 'Read a carrier',
    roles: CARRIER_READERS,
    params: CarrierIdParams,
    responses: { 200: { description: 'OK', schema: Carrier } },
    function: carrierReads,
  }),
  updateCarrier: defineRoute({
    operationId: 'updateCarrier',
    method: 'PATCH',
    path: '/carriers/{carrierId}',
    tag: 'Carriers',
    summary: "Change a carrier's name, contact, vehicle types or notes; send If-Match with the version read",
    roles: CARRIER_MAINTAINERS,
    params: CarrierIdParams,
    body: UpdateCarrier,
    responses: { 200: { description: 'OK', schema: Carrier } },
    function: carrierChanges,
  }),
  decideCarrierQualification: defineRoute({
    operationId: 'decideCarrierQualification',
    method: 'PUT',
    path: '/carriers/{carrierId}/qualification',
    tag: 'Carriers',
    summary: 'Qualify a carrier until a date, or disqualify it, with the reason (R-FULFIL-6, kept in the history: R-INFO-3); send If-Match with the version read',
    roles: CARRIER_MAINTAINERS,
    params: CarrierIdParams,
    body: QualificationDecision,
    responses: { 200: { description: 'OK', schema: Carrier }, 412: { description: 'If-Match names an older version' } },
    function: carrierChanges,
  }),
  getCarrierHistory: defineRoute({
    operationId: 'getCarrierHistory',
    method: 'GET',
    path: '/carriers/{carrierId}/history',
    tag: 'Carriers',
    summary: 'Every change to a carrier, qualification decisions with their reasons included (R-INFO-3)',
    roles: CARRIER_READERS,
    params: CarrierIdParams,
    query: PageQuery,
    responses: { 200: { description: 'OK', schema: pageOf(ChangeEntry, 'CarrierChangePage') } },
    function: { id: 'GetCarrierHistory', entry: 'functions/logistics/handlers/get-carrier-history.ts', description: "Read a carrier's change history", access: { tables: { audit: 'read' } } },
  }),
};
