"""A writer process for the crash and concurrency tests: grade, then acknowledge on stdout.

Usage: python writer_child.py HOME SESSION TAG COUNT. Prints 'ready', then one 'ack NOTE' line
after each set_grade call has returned (the write is durable by then). A refused lock is
retried; any other exception is a bug and ends the process with a traceback.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from hwreview.errors import SessionLockedError
from hwreview.session.session import Session


def main() -> None:
    home, name, tag, count = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
    print("ready", flush=True)
    done = 0
    while done < count:
        try:
            session = Session.open(home, name, purpose=f"writer {tag}")
        except SessionLockedError:
            time.sleep(0.002)
            continue
        with session:
            parts = session.assignment.parts
            for _ in range(min(5, count - done)):
                note = f"{tag}-{done}"
                part = parts[done % len(parts)].id
                session.set_grade(part, "t1", verdict="partial", note=note)
                print(f"ack {note}", flush=True)
                done += 1


if __name__ == "__main__":
    main()
