import { type Decided, decided, refused } from "@cdp/lambda-kit/decision";
import type { Project, ProjectInput } from "./model.ts";
import { partnerNotFound } from "./partners.ts";

export interface CreateProject {
  /** Chosen by the caller so that deciding stays pure. */
  readonly projectId: string;
  readonly input: ProjectInput;
}

/** A multilateral project links partners the registry knows; every unknown one is named. */
export function createProject(knownPartners: ReadonlySet<string>, command: CreateProject, now: Date): Decided<Project> {
  const { input, projectId } = command;
  const unknown = input.partnerIds.filter((id) => !knownPartners.has(id));
  if (unknown.length > 0) return refused(partnerNotFound(unknown.join(", ")));
  const project: Project = { ...input, id: projectId, endDate: input.endDate ?? null, createdAt: now.toISOString() };
  return decided({
    state: project,
    expectedVersion: null,
    events: [],
    audit: { entity: `project#${project.id}`, action: "project.created", beforeVersion: null, afterVersion: 1 },
  });
}
