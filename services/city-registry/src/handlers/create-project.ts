import { httpHandler } from "@cdp/lambda-kit";
import { createProject } from "../api.ts";
import { options, store, writeContext } from "./shared.ts";

export const handler = httpHandler(
  createProject,
  async (request) => {
    const project = await store.createProject(request.body, writeContext(request));
    return { status: 201, body: project, headers: { location: `/projects/${project.id}` } };
  },
  options,
);
