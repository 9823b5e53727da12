"""Executes one notebook in a Jupyter kernel with nbclient, for tools/nb.ts.

Usage: python3 nb_driver.py INPUT OUTPUT REPORT --kernel NAME --cwd DIR --timeout SECONDS [--no-fence]

Writes the executed notebook to OUTPUT (also when a cell fails) and a JSON report to REPORT:
{"ok", "seconds", "cells", "executed", "late_outputs", "fence_gave_up",
"slowest": [{"index", "id", "seconds", "fence_seconds"}] (the three slowest code cells), "error": null | {"kind", "message", "cell_index",
"source", "ename", "evalue", "traceback"}}. Exit status: 0 passed, 1 failed, 3 nbclient missing.

The Deno kernel (2.9) can report a cell idle before its last console outputs reach the IOPub socket (console output
goes through a queue that the idle status skips), and nbclient stops listening to a cell at idle, so it drops them;
worse, the kernel tags each output with the request running when the output leaves the queue, so late output of one
cell can carry the next request's id. After every cell this driver sends a silent "fence" request (console.log and
console.error of a random token; silent requests do not advance the execution count) and keeps collecting until both
tokens arrive: the queue is first-in first-out, so everything the cell printed comes before them, whichever request
id it carries.
"""

import argparse
import asyncio
import json
import os
import sys
import time
import uuid


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("report")
    parser.add_argument("--kernel", default="liandan")
    parser.add_argument("--cwd", default=".")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--no-fence", action="store_true")
    args = parser.parse_args()

    try:
        import nbformat
        from jupyter_client.utils import ensure_async
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionComplete, CellExecutionError, CellTimeoutError, DeadKernelError
    except ImportError as e:
        write_json(args.report, {"ok": False, "seconds": 0, "cells": 0, "executed": 0, "late_outputs": 0,
                                 "error": {"kind": "missing", "message": str(e)}})
        return 3

    from queue import Empty

    class FencedClient(NotebookClient):
        """NotebookClient that waits, after each cell's idle, until the kernel's console queue is flushed."""

        fence = True
        fence_timeout = 30.0
        late_outputs = 0
        fence_gave_up = 0
        current_index = -1
        executed = 0

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.cell_seconds = []  # (index, id, seconds, fence seconds) per code cell, fence included

        async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
            self.current_index = cell_index
            self.fence_seconds = 0.0
            started = time.monotonic()
            result = await super().async_execute_cell(cell, cell_index, execution_count, store_history)
            if cell.cell_type == "code" and cell.source.strip():
                self.executed += 1
                self.cell_seconds.append((cell_index, cell.get("id", ""), time.monotonic() - started,
                                          self.fence_seconds))
            return result

        async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
            await super()._async_poll_output_msg(parent_msg_id, cell, cell_index)
            if self.fence:
                await self._async_fence(parent_msg_id, cell, cell_index)

        async def _async_fence(self, parent_msg_id, cell, cell_index):
            started = time.monotonic()
            try:
                await self._async_fence_wait(parent_msg_id, cell, cell_index)
            finally:
                self.fence_seconds += time.monotonic() - started

        async def _async_fence_wait(self, parent_msg_id, cell, cell_index):
            token = "liandan-fence-" + uuid.uuid4().hex
            code = f'console.log("{token}"); console.error("{token}");'
            fence_id = await ensure_async(self.kc.execute(code, silent=True, store_history=False, stop_on_error=False))
            seen = set()
            deadline = time.monotonic() + self.fence_timeout
            while len(seen) < 2:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self.log.warning("Gave up waiting for the output fence of cell %s", cell_index)
                    self.fence_gave_up += 1
                    return
                try:
                    msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=remaining))
                except Empty:
                    continue
                parent = msg["parent_header"].get("msg_id")
                kind = msg["msg_type"]
                if parent not in (parent_msg_id, fence_id) or kind in ("status", "execute_input"):
                    if parent == fence_id and kind == "status" and msg["content"]["execution_state"] == "idle":
                        # An aborted fence prints nothing: give its tokens a moment, then stop.
                        deadline = min(deadline, time.monotonic() + 5.0)
                    continue
                if kind == "stream" and token in msg["content"].get("text", ""):
                    seen.add(msg["content"]["name"])
                    rest = "".join(line for line in msg["content"]["text"].splitlines(True) if token not in line)
                    if not rest:
                        continue
                    msg = {**msg, "content": {**msg["content"], "text": rest}}
                # The kernel tags output with the request running when it is sent, so late output of this cell can
                # carry the fence's id: everything before the tokens (which the fence prints last) is this cell's.
                if parent == fence_id:
                    msg = {**msg, "parent_header": {**msg["parent_header"], "msg_id": parent_msg_id}}
                self.late_outputs += 1
                try:
                    self.process_message(msg, cell, cell_index)
                except CellExecutionComplete:
                    pass

    nb = nbformat.read(args.input, as_version=4)
    start = time.monotonic()
    deadline = start + args.timeout

    def remaining_timeout(_cell):
        return max(1, int(deadline - time.monotonic() + 0.999))

    client = FencedClient(
        nb,
        kernel_name=args.kernel,
        resources={"metadata": {"path": os.path.abspath(args.cwd)}},
        timeout_func=remaining_timeout,
        iopub_timeout=45,
        record_timing=True,
        allow_errors=False,
        startup_timeout=60,
    )
    client.fence = not args.no_fence
    error = None
    try:
        client.execute()
    except CellTimeoutError as e:
        error = {"kind": "timeout", "message": f"The notebook ran past its {args.timeout:g} s timeout ({e})"}
    except DeadKernelError as e:
        error = {"kind": "kernel", "message": f"The kernel died: {e}"}
    except CellExecutionError as e:
        error = {"kind": "cell", "message": "A cell raised an error", "ename": e.ename, "evalue": e.evalue,
                 "traceback": getattr(e, "traceback", "")}
    except Exception as e:  # noqa: BLE001 - reported to the user, whatever it is
        error = {"kind": "setup", "message": f"{type(e).__name__}: {e}"}
    seconds = time.monotonic() - start

    if error is not None and error["kind"] != "setup" and 0 <= client.current_index < len(nb.cells):
        cell = nb.cells[client.current_index]
        error["cell_index"] = client.current_index
        error["source"] = cell.get("source", "")
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                error["ename"] = out.get("ename", "")
                error["evalue"] = out.get("evalue", "")
                error["traceback"] = "\n".join(out.get("traceback", []))

    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    nbformat.write(nb, args.output)
    slowest = [{"index": i, "id": cid, "seconds": round(sec, 3), "fence_seconds": round(fence, 3)}
               for i, cid, sec, fence in sorted(client.cell_seconds, key=lambda c: -c[2])[:3]]
    code_cells = sum(1 for c in nb.cells if c.cell_type == "code" and c.source.strip())
    write_json(args.report, {"ok": error is None, "seconds": round(seconds, 3), "cells": code_cells,
                             "executed": client.executed, "late_outputs": client.late_outputs,
                             "fence_gave_up": client.fence_gave_up, "slowest": slowest, "error": error})
    return 0 if error is None else 1


if __name__ == "__main__":
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter teardown: jupyter_client's destructors print noise once the kernel is already shut down.
    os._exit(status)
