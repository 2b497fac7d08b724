"""What the moto scripts share: a free port, a JSON POST, and moto's server started in this process with Lambda
invocations answered by a function of ours (moto's lambda-simple backend, Lambda without Docker, otherwise only returns
queued payloads)."""
import json
import logging
import os
import socket
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return response.read()


def start_moto(invoke):
    """moto's server on a free port, Step Functions executing definitions for real, and every Lambda invocation
    answered by invoke(plain_invoke, backend, function_name, qualifier, body, headers, response_headers)."""
    port = free_port()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    logging.getLogger("moto").setLevel(logging.CRITICAL)  # IsPresent on an absent path logs a handled exception
    os.environ["MOTO_PORT"] = str(port)  # moto's own service integrations call back into this server
    from moto.awslambda_simple.models import LambdaSimpleBackend
    from moto.server import ThreadedMotoServer

    plain_invoke = LambdaSimpleBackend.invoke

    def patched(self, function_name, qualifier, body, headers, response_headers):
        return invoke(lambda: plain_invoke(self, function_name, qualifier, body, headers, response_headers),
                      function_name, body, response_headers)

    LambdaSimpleBackend.invoke = patched
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    post(endpoint + "/moto-api/config",
         {"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}})
    return server, endpoint


ERROR_MARKER = "__function_error__"


def queued_or_error(plain_invoke, function_name, body, response_headers):
    """lambda-simple's queued payload, or, for a queued error marker, the error as Lambda reports a handler's exception."""
    result = plain_invoke()
    try:
        decoded = json.loads(result)
    except ValueError:
        return result
    if isinstance(decoded, dict) and ERROR_MARKER in decoded:
        response_headers["x-amz-function-error"] = "Unhandled"
        return json.dumps(decoded[ERROR_MARKER]).encode()
    return result


def clients(endpoint, *names):
    """boto3 clients of moto's server."""
    import boto3
    kwargs = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
    return {name: boto3.client(name, **kwargs) for name in names}


LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke"


def queued_results(trace, extra=lambda visit: None):
    """Every Lambda attempt of a recorded execution, in order, as lambda-simple's queue takes them: the payload it
    returned, or its error behind the marker. extra(visit) may give the results of a state the trace holds no calls
    of (a Map whose items invoke Lambda), or None."""
    states = trace["definition"]["States"]
    results = []
    for visit in trace["execution"]["visits"]:
        given = extra(visit)
        if given is not None:
            results.extend(given)
            continue
        if states[visit["state"]].get("Resource") != LAMBDA_INVOKE:
            continue
        for attempt in visit["calls"]:
            if attempt["result"] is not None:
                results.append(json.dumps(attempt["result"]["Payload"]))
            else:
                results.append(json.dumps({ERROR_MARKER: json.loads(attempt["cause"])}))
    return results
