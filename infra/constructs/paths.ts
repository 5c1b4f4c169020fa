import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: definitions name files (handler entries, ASL files) relative to it. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function fromRepoRoot(relative: string): string {
  return path.join(REPO_ROOT, relative);
}
