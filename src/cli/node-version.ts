/**
 * The Node.js version pont runs on. Kept free of imports and of syntax newer than Node 12, since
 * it runs before anything tells an older Node apart.
 */

/** The oldest major version of Node.js pont runs on (package.json `engines`). */
export const REQUIRED_NODE_MAJOR = 24;

/** One line saying what pont needs and how to get it, or undefined when `version` (e.g. "20.20.2") will do. */
export function nodeVersionProblem(version: string): string | undefined {
  const major = Number(version.split('.')[0]);
  if (major >= REQUIRED_NODE_MAJOR) return undefined;
  return `needs Node.js ${REQUIRED_NODE_MAJOR} or later, and this is Node.js ${version}; inside the project, \`npm ci\` installs Node ${REQUIRED_NODE_MAJOR} for \`npm run pont\`, or install it with nvm (\`nvm install ${REQUIRED_NODE_MAJOR}\`)`;
}
