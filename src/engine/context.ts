import type { WorldAnalysis } from "../analysis/world-analysis.js";
import type { World } from "../model/index.js";

export interface RuleContext {
  world: World;
  analysis: WorldAnalysis;
}
