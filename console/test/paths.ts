// Where the tests find the repository's files: the bundled tests run from
// console/.test-build/.
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const CONSOLE = fileURLToPath(new URL('../', import.meta.url));
