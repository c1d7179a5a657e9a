/**
 * Loads GitHub's workflow parser (npm @actions/workflow-parser). Its ESM build imports its JSON
 * schema without `with { type: 'json' }`, which Node's ESM loader rejects (open upstream as
 * actions/languageservices issue 387); a loader hook registered for this process adds the
 * attribute to JSON imports that lack one.
 */
import { register } from 'node:module';

const HOOK = `export async function load(url, context, next) {
  if (url.endsWith('.json') && context.importAttributes?.type === undefined) {
    return next(url, { ...context, importAttributes: { ...context.importAttributes, type: 'json' } });
  }
  return next(url, context);
}`;

let registered = false;

export async function loadWorkflowParser(): Promise<typeof import('@actions/workflow-parser')> {
  if (!registered) {
    register(`data:text/javascript,${encodeURIComponent(HOOK)}`);
    registered = true;
  }
  return import('@actions/workflow-parser');
}
