// Fault injection for the crash-safety tests: named points on every path that writes a user's
// file or the undo journal. Off unless the environment asks for it, and then deterministic:
//   SCALE_FAULT_KILL_AT=N    the process SIGKILLs itself at the N-th fault point it reaches (1-based)
//   SCALE_FAULT_PAUSE_AT=N   the process stops itself (SIGSTOP) at the N-th point, so that a test
//                            can change files at exactly that moment and then send SIGCONT
//   SCALE_FAULT_ENOSPC_AT=N  the N-th write of a file (temp or journal) fails with ENOSPC
//   SCALE_FAULT_TRACE=1      every point reached is printed to stderr as "fault-point N NAME"
//   SCALE_FAULT_NAN_FROM_STEP=N  `scale train` steps N and later (1-based) produce NaN, as a
//                            diverged run would: the safety breaker's tests
#pragma once

namespace scale {

// Marks a point where a crash must not lose data. Costs one branch when injection is off.
void FaultPoint(const char* name);

// True when this write should fail with ENOSPC (see SCALE_FAULT_ENOSPC_AT).
bool FaultInjectEnospc();

// True when training step `step` (1-based) should come out NaN (see SCALE_FAULT_NAN_FROM_STEP).
bool FaultNanAtTrainStep(int step);

}  // namespace scale
