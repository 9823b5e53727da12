"""Interrupts a training cell in a real Jupyter kernel and runs it again, for tests/tools/interrupt_test.ts.

Usage: python3 interrupt_driver.py CODE_FILE CHECKPOINT_DIR REPORT --kernel NAME --cwd DIR --min-step N [--timeout S]

1. Starts the kernel (found through JUPYTER_PATH) in DIR and executes CODE_FILE's cell.
2. Polls CHECKPOINT_DIR/state.json until it holds a step >= N, then calls KernelManager.interrupt_kernel(), as the
   front ends' Kernel > Interrupt does (SIGINT to the kernel's process group for a kernelspec without interrupt_mode).
3. Waits until the cell ends (the kernel survived) or the kernel process exits (it died); on death, reads the step
   of the checkpoint left on disk and restarts the kernel, as the notebook server's auto-restarter does.
4. Executes the same cell again and waits for it to finish.

The kernel gets the default SIGINT disposition (what it inherits from a front end started in a terminal), also
when this driver was started with SIGINT ignored.

Writes a JSON report to REPORT: {"ok", "error", "inherited_sigint", "spec_interrupt_mode", "first": RUN, "interrupt_step", "died",
"exit_code", "checkpoint_step", "second": RUN}, where RUN is {"outputs": [...], "reply_status", "seconds"}.
Outputs are collected for a short while after idle too (the Deno kernel can send console output after idle).
Exit status: 0 when the scenario ran (the test judges the report), 1 when it could not, 3 without jupyter_client.
"""

import argparse
import json
import os
import signal
import sys
import time
from queue import Empty


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=1)


def checkpoint_step(directory):
    """The step in DIR/state.json, or -1 while there is none. Like lib/checkpoint/checkpoint.ts's loader, falls back
    to DIR.old, where the previous checkpoint sits when a save was stopped between its two renames."""
    for candidate in (directory, directory + ".old"):
        try:
            with open(os.path.join(candidate, "state.json"), encoding="utf-8") as f:
                return int(json.load(f).get("step", -1))
        except (OSError, ValueError):
            continue
    return -1


def output_of(msg):
    kind, content = msg["msg_type"], msg["content"]
    if kind == "stream":
        return {"output_type": "stream", "name": content["name"], "text": content["text"]}
    if kind == "error":
        return {"output_type": "error", "ename": content["ename"], "evalue": content["evalue"],
                "traceback": content["traceback"]}
    if kind in ("execute_result", "display_data", "update_display_data"):
        return {"output_type": kind, "text": content.get("data", {}).get("text/plain", "")}
    return None


class Session:
    def __init__(self, km, deadline):
        self.km = km
        self.deadline = deadline
        self.kc = None

    def connect(self):
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=max(1, self.deadline - time.monotonic()))

    def close(self):
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None

    def run(self, code, interrupt_when=None, grace=2.0):
        """Executes code; returns (run report, interrupted, died). Calls interrupt_kernel() once interrupt_when()."""
        started = time.monotonic()
        msg_id = self.kc.execute(code, store_history=True, allow_stdin=False, stop_on_error=False)
        run = {"outputs": [], "reply_status": None, "seconds": 0.0}
        interrupted = died = False
        idle_at = None
        while True:
            now = time.monotonic()
            if now > self.deadline:
                raise TimeoutError("the scenario ran past its timeout")
            if interrupt_when is not None and not interrupted and idle_at is None and interrupt_when():
                self.km.interrupt_kernel()
                interrupted = True
            if idle_at is not None and now - idle_at > grace:
                break
            try:
                msg = self.kc.get_iopub_msg(timeout=0.1)
            except Empty:
                if not self.km.is_alive():
                    died = True
                    break
                continue
            if msg["parent_header"].get("msg_id") != msg_id and msg["msg_type"] in ("status", "execute_input"):
                continue
            if msg["msg_type"] == "status":
                if msg["content"]["execution_state"] == "idle" and idle_at is None:
                    idle_at = time.monotonic()
                    run["seconds"] = round(idle_at - started, 3)
                continue
            out = output_of(msg)
            if out is not None:
                run["outputs"].append(out)
        if not died:
            try:
                reply = self.kc.get_shell_msg(timeout=5)
                run["reply_status"] = reply["content"]["status"]
            except Empty:
                pass
        else:
            run["seconds"] = round(time.monotonic() - started, 3)
        return run, interrupted, died


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("code")
    parser.add_argument("checkpoint")
    parser.add_argument("report")
    parser.add_argument("--kernel", default="liandan")
    parser.add_argument("--cwd", default=".")
    parser.add_argument("--min-step", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    report = {"ok": False, "error": None}
    try:
        from jupyter_client import KernelManager
    except ImportError as e:
        report["error"] = f"jupyter_client is missing: {e}"
        write_json(args.report, report)
        return 3

    with open(args.code, encoding="utf-8") as f:
        code = f.read()
    # A process started in the background by a non-interactive shell (`cmd &`) ignores SIGINT, and the kernel would
    # inherit that and never see the interrupt. Front ends started from a terminal pass the default on: do the same.
    previous = signal.signal(signal.SIGINT, signal.SIG_DFL)
    report["inherited_sigint"] = "ignored" if previous == signal.SIG_IGN else "default"
    km = KernelManager(kernel_name=args.kernel)
    session = Session(km, time.monotonic() + args.timeout)
    try:
        report["spec_interrupt_mode"] = km.kernel_spec.interrupt_mode
        km.start_kernel(cwd=os.path.abspath(args.cwd))
        session.connect()
        first, interrupted, died = session.run(
            code, interrupt_when=lambda: checkpoint_step(args.checkpoint) >= args.min_step)
        report["first"] = first
        report["interrupted"] = interrupted
        report["died"] = died
        report["interrupt_step"] = checkpoint_step(args.checkpoint)
        if died:
            km.provisioner.process.wait(timeout=10)
            report["exit_code"] = km.provisioner.process.returncode
            report["checkpoint_step"] = checkpoint_step(args.checkpoint)
            session.close()
            km.restart_kernel(now=True)
            session.connect()
        else:
            report["checkpoint_step"] = checkpoint_step(args.checkpoint)
        second, _, died_again = session.run(code)
        report["second"] = second
        report["died_again"] = died_again
        report["ok"] = True
    except Exception as e:  # noqa: BLE001 - reported to the test, whatever it is
        report["error"] = f"{type(e).__name__}: {e}"
    finally:
        session.close()
        try:
            km.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001 - already dead
            pass
        write_json(args.report, report)
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter teardown: jupyter_client's destructors print noise once the kernel is already shut down.
    os._exit(status)
