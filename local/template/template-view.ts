/**
 * The packaged template as the readers in this folder see it: its resources by type, and the
 * intrinsic functions evaluated for this stack (cfn-intrinsics.ts).
 */

import { evaluate, type Resolver, type TemplateResource } from './cfn-intrinsics';

export interface Template {
  Resources: Record<string, TemplateResource>;
  Conditions?: Record<string, unknown>;
}

export interface TemplateView {
  resolver: Resolver;
  /** The resources of one CloudFormation type, as [logicalId, resource] in template order. */
  ofType(type: string): [string, TemplateResource][];
  /** A template node with its intrinsic functions evaluated. */
  ev<T>(node: unknown): T;
}

export const templateView = (template: Template, resolver: Resolver): TemplateView => ({
  resolver,
  ofType: (type) => Object.entries(template.Resources).filter(([, r]) => r.Type === type),
  ev: <T>(node: unknown) => evaluate(node, resolver) as T,
});
