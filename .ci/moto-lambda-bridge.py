#!/usr/bin/env python3
"""moto's server with its Lambda invocations answered by real handlers elsewhere: every invocation is POSTed to
<bridge>/<function name> and its answer returned; an answer carrying the header X-Function-Error comes back as Lambda
reports a handler's exception. Used by the end-to-end test, whose handlers run in the test JVM.

Usage: moto-lambda-bridge.py <bridge URL>. Prints "endpoint <url>" once moto answers, then runs until its standard
input closes (the test JVM that started it exited)."""
import sys
import urllib.error
import urllib.request

from moto_support import start_moto


def forwarding(bridge):
    def invoke(plain_invoke, function_name, body, response_headers):
        payload = body if isinstance(body, bytes) else str(body or "{}").encode()
        request = urllib.request.Request(f"{bridge}/{function_name.split(':')[-1]}", data=payload, method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=900) as response:
            if response.headers.get("X-Function-Error"):
                response_headers["x-amz-function-error"] = response.headers["X-Function-Error"]
            return response.read()
    return invoke


def main(bridge):
    server, endpoint = start_moto(forwarding(bridge))
    print(f"endpoint {endpoint}", flush=True)
    try:
        sys.stdin.read()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
