import { appStore } from './store.ts';
import { createTrajectoryController, type TrajectoryController } from './trajectory-controller.ts';
import { createWorkerParseClient } from './parse-client.ts';

let controller: TrajectoryController | null = null;

/** The page's trajectory controller (created on first use; it spawns the parse worker lazily). */
export function trajectoryController(): TrajectoryController {
  controller ??= createTrajectoryController(appStore, createWorkerParseClient());
  return controller;
}
