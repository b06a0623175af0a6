// Every temporary directory a test makes goes under one directory per run, removed when the run ends, so the suite
// leaves nothing behind in the machine's temporary directory however a test ends.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-tests-"));
  // Read by os.tmpdir() in the test workers, which start after this, and by the processes the tests spawn.
  process.env.TMPDIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
