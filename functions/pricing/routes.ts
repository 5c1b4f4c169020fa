/**
 * Price list routes (R-PRICE-1, R-PRICE-2, R-INFO-3): the sales clerk drafts, edits and submits;
 * reviews and approvals are tasks (POST /tasks/{taskId}/decision). A sales rep reads the general
 * list and the lists of own customers only.
 */
import { defineRoute } from '../shared/definitions.js';
import type { Role } from '../shared/roles.js';
import { ChangeEntry, PageQuery, pageOf } from '../shared/schemas.js';
import {
  CreatePriceListVersion,
  ListPriceListsQuery,
  PriceListParams,
  PriceListSummary,
  PriceListVersion,
  PriceListVersionParams,
  PriceListVersionSummary,
  UpdatePriceListVersion,
} from './schemas.js';

export const PRICE_LIST_DRAFTERS: readonly Role[] = ['sales_clerk'];
export const PRICE_LIST_READERS: readonly Role[] = [
  'sales_clerk',
  'sales_manager',
  'sales_vp',
  'general_manager',
  'order_desk',
  'sales_rep',
  'finance',
  'auditor',
];

const TAG = 'Price lists';

export const pricingRoutes = {
  createPriceListVersion: defineRoute({
    operationId: 'createPriceListVersion',
    method: 'POST',
    path: '/price-lists/{priceListId}/versions',
    tag: TAG,
    summary: 'Draft a new version of a price list, empty, with items, or as a copy of the latest version (R-PRICE-1)',
    roles: PRICE_LIST_DRAFTERS,
    params: PriceListParams,
    body: CreatePriceListVersion,
    idempotent: true,
    responses: { 201: { description: 'Drafted', schema: PriceListVersion } },
    function: {
      id: 'CreatePriceListVersion',
      entry: 'functions/pricing/handlers/create-version.ts',
      description: 'Draft a new price list version',
      access: { tables: { priceLists: 'readwrite', products: 'read', customers: 'read', audit: 'write', idempotency: 'readwrite' } },
    },
  }),
  updatePriceListVersion: defineRoute({
    operationId: 'updatePriceListVersion',
    method: 'PATCH',
    path: '/price-lists/{priceListId}/versions/{version}',
    tag: TAG,
    summary: 'Change a draft or returned version (items, effective date); send If-Match with the ETag read',
    roles: PRICE_LIST_DRAFTERS,
    params: PriceListVersionParams,
    body: UpdatePriceListVersion,
    responses: { 200: { description: 'OK', schema: PriceListVersion } },
    function: {
      id: 'UpdatePriceListVersion',
      entry: 'functions/pricing/handlers/update-version.ts',
      description: 'Edit a draft price list version and keep the history',
      access: { tables: { priceLists: 'readwrite', products: 'read', audit: 'write' } },
    },
  }),
  submitPriceListVersion: defineRoute({
    operationId: 'submitPriceListVersion',
    method: 'POST',
    path: '/price-lists/{priceListId}/versions/{version}/submission',
    tag: TAG,
    summary: 'Submit a draft or returned version for review and approval; starts the approval workflow. A version that is not ready (no items, effective date past, a product retired since) is refused with 422 naming every gap',
    roles: PRICE_LIST_DRAFTERS,
    params: PriceListVersionParams,
    responses: { 202: { description: 'Submitted; the approval workflow runs', schema: PriceListVersion } },
    function: {
      id: 'SubmitPriceListVersion',
      entry: 'functions/pricing/handlers/submit-version.ts',
      description: 'Submit a price list version and start its approval',
      access: { tables: { workflowStarts: 'write', priceLists: 'readwrite', products: 'read', audit: 'write' } },
    },
  }),
  listPriceLists: defineRoute({
    operationId: 'listPriceLists',
    method: 'GET',
    path: '/price-lists',
    tag: TAG,
    summary: 'List price lists with their latest version and the version in force today; a sales rep sees the general list and own customers’ lists',
    roles: PRICE_LIST_READERS,
    query: ListPriceListsQuery,
    responses: { 200: { description: 'OK', schema: pageOf(PriceListSummary, 'PriceListPage') } },
    function: {
      id: 'ListPriceLists',
      entry: 'functions/pricing/handlers/list-price-lists.ts',
      description: 'List price lists',
      access: { tables: { priceLists: 'read', customers: 'read' } },
    },
  }),
  getPriceListVersion: defineRoute({
    operationId: 'getPriceListVersion',
    method: 'GET',
    path: '/price-lists/{priceListId}/versions/{version}',
    tag: TAG,
    summary: 'Read one version of a price list with its items',
    roles: PRICE_LIST_READERS,
    params: PriceListVersionParams,
    responses: { 200: { description: 'OK', schema: PriceListVersion } },
    function: {
      id: 'GetPriceListVersion',
      entry: 'functions/pricing/handlers/get-version.ts',
      description: 'Read a price list version',
      access: { tables: { priceLists: 'read', customers: 'read', audit: 'write' } },
    },
  }),
  listPriceListVersions: defineRoute({
    operationId: 'listPriceListVersions',
    method: 'GET',
    path: '/price-lists/{priceListId}/versions',
    tag: TAG,
    summary: 'Every version of a price list, newest first, without items',
    roles: PRICE_LIST_READERS,
    params: PriceListParams,
    query: PageQuery,
    responses: { 200: { description: 'OK', schema: pageOf(PriceListVersionSummary, 'PriceListVersionPage') } },
    function: {
      id: 'ListPriceListVersions',
      entry: 'functions/pricing/handlers/list-versions.ts',
      description: 'List the versions of a price list',
      access: { tables: { priceLists: 'read', customers: 'read', audit: 'write' } },
    },
  }),
  getPriceListHistory: defineRoute({
    operationId: 'getPriceListHistory',
    method: 'GET',
    path: '/price-lists/{priceListId}/history',
    tag: TAG,
    summary: 'Every change to a price list: drafts, edits, submissions, reviews, returns, approvals (R-INFO-3)',
    roles: PRICE_LIST_READERS,
    params: PriceListParams,
    query: PageQuery,
    responses: { 200: { description: 'OK', schema: pageOf(ChangeEntry, 'PriceListChangePage') } },
    function: {
      id: 'GetPriceListHistory',
      entry: 'functions/pricing/handlers/get-history.ts',
      description: "Read a price list's change history",
      access: { tables: { audit: 'readwrite', customers: 'read' } },
    },
  }),
};
