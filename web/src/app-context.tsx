/**
 * What every screen needs: the API client, who is signed in, and `can(operationId)`, which
 * answers from the roles the API itself publishes per operation (x-roles in /openapi.json), so
 * the console never keeps a second copy of who may do what.
 */
import { createContext, useContext } from 'react';
import type { Api } from './api.js';
import type { Session } from './auth.js';
import type { ConsoleConfig } from './config.js';

export { permissionsFrom, type Permissions } from './permissions.js';

export interface AppContextValue {
  api: Api;
  session: Session;
  config: ConsoleConfig;
  /** May the signed-in user call this operation (by its OpenAPI operationId)? */
  can(operationId: string): boolean;
  hasRole(...roles: string[]): boolean;
}

export const AppContext = createContext<AppContextValue | undefined>(undefined);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside the signed-in app');
  return value;
}
