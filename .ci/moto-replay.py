#!/usr/bin/env python3
"""Runs the executions the Java runner recorded on a second Step Functions engine, moto's, and compares.

For each trace in the folder given (written by PipelineScenariosTest: the rendered definition, the input, every
state's visit with what its Lambda tasks returned or raised and how approvals were answered), this script creates the
state machine in a moto server, queues the same Lambda results, answers the approval task with SendTaskSuccess or
SendTaskFailure as the trace says, starts the execution, and checks that moto enters the same states in the same order
and ends with the same status, error and output.

moto's lambda-simple backend (Lambda without Docker) returns queued payloads and never raises a function error; this
script extends it, in its own process, so a queued {"__function_error__": {...}} comes back with the
X-Amz-Function-Error header, which is how Lambda reports a handler's exception to Step Functions. Everything else is
moto as released. Exit code 0 when every execution matches, 1 otherwise.
"""
import json
import sys
import time
from pathlib import Path

from moto_support import LAMBDA_INVOKE, clients, post, queued_or_error, queued_results, start_moto

APPROVAL = "arn:aws:states:::sns:publish.waitForTaskToken"


def prepare(aws, definition):
    role = aws["iam"].create_role(RoleName="sluice-pipeline", AssumeRolePolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"},
                                                 "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
    aws["sns"].create_topic(Name="sluice-notifications")
    for state in definition["States"].values():
        name = state.get("Parameters", {}).get("FunctionName", "")
        if state.get("Resource") == LAMBDA_INVOKE and name:
            try:
                aws["lambda"].create_function(FunctionName=name.split(":")[-1], Runtime="provided.al2023", Role=role,
                                              Handler="bootstrap", Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18})
            except aws["lambda"].exceptions.ResourceConflictException:
                pass
    return role


def approval_answers(trace):
    states = trace["definition"]["States"]
    return [visit["calls"][-1] for visit in trace["execution"]["visits"]
            if states[visit["state"]].get("Resource") == APPROVAL]


def without_waits(value):
    """The value with every canary window at 0 s (wherever a state keeps the input's canary settings): the Java
    runner scaled them to 0, moto would wait them out."""
    value = json.loads(json.dumps(value))

    def zero(node):
        if isinstance(node, dict):
            if isinstance(node.get("canary"), dict) and "waitSeconds" in node["canary"]:
                node["canary"]["waitSeconds"] = 0
            for item in node.values():
                zero(item)
        elif isinstance(node, list):
            for item in node:
                zero(item)
    zero(value)
    return value


# moto 5.2.5 passes only the error of SendTaskFailure on (its responses.py drops the cause); Step Functions keeps both.
CAUSE_DROPPED_BY_MOTO = set()


def normalised(value):
    """JSON with every string that holds JSON (an error's Cause) parsed, so formatting differences do not count; the
    Cause of a States.* error is each engine's own wording and is left out, as is the one moto drops."""
    if isinstance(value, dict):
        error = str(value.get("Error", ""))
        if (error.startswith("States.") or error in CAUSE_DROPPED_BY_MOTO) and "Cause" in value:
            value = {key: item for key, item in value.items() if key != "Cause"}
        return {key: normalised(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalised(item) for item in value]
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return normalised(json.loads(value))
        except ValueError:
            return value
    return value


def first_difference(mine, theirs, at="$"):
    """Where two JSON values first differ, and how."""
    if isinstance(mine, dict) and isinstance(theirs, dict):
        for key in list(mine) + [key for key in theirs if key not in mine]:
            if key not in mine or key not in theirs:
                return f"{at}.{key}: moto {json.dumps(mine.get(key))[:300]}, java {json.dumps(theirs.get(key))[:300]}"
            found = first_difference(mine[key], theirs[key], f"{at}.{key}")
            if found:
                return found
        return None
    if isinstance(mine, list) and isinstance(theirs, list) and len(mine) == len(theirs):
        for index, (a, b) in enumerate(zip(mine, theirs)):
            found = first_difference(a, b, f"{at}[{index}]")
            if found:
                return found
        return None
    return None if mine == theirs else f"{at}: moto {json.dumps(mine)[:300]}, java {json.dumps(theirs)[:300]}"


def replay(aws, endpoint, role, trace):
    name = trace["name"]
    sfn = aws["stepfunctions"]
    definition = json.loads(json.dumps(trace["definition"]))
    answers = approval_answers(trace)
    if answers and answers[-1]["error"] == "States.Timeout":
        # Nobody answered in time. SendTaskFailure may not name a States.* error, and the real timeout is a day:
        # the approval state's TimeoutSeconds becomes 1 s here, so moto's own timer ends the task unanswered.
        for state in definition["States"].values():
            if state.get("Resource") == APPROVAL:
                state["TimeoutSeconds"] = 1
        answers = answers[:-1]
    machine = sfn.create_state_machine(name="sluice-" + name, definition=json.dumps(definition),
                                       roleArn=role)["stateMachineArn"]
    post(endpoint + "/moto-api/static/lambda-simple/response", {"results": queued_results(trace)})
    execution = sfn.start_execution(stateMachineArn=machine, name=name,
                                    input=json.dumps(without_waits(trace["input"])))["executionArn"]
    answered = 0
    deadline = time.time() + 120
    while True:
        described = sfn.describe_execution(executionArn=execution)
        if described["status"] != "RUNNING":
            break
        if time.time() > deadline:
            raise RuntimeError(f"{name}: still RUNNING after 120 s")
        if answered < len(answers):
            token = task_token(sfn, execution, answered)
            if token:
                answer = answers[answered]
                if answer["result"] is not None:
                    sfn.send_task_success(taskToken=token, output=json.dumps(answer["result"]))
                else:
                    sfn.send_task_failure(taskToken=token, error=answer["error"], cause=answer["cause"])
                    CAUSE_DROPPED_BY_MOTO.add(answer["error"])
                answered += 1
        time.sleep(0.1)
    events = sfn.get_execution_history(executionArn=execution, maxResults=1000)["events"]
    path = [event["stateEnteredEventDetails"]["name"] for event in events if event["type"].endswith("StateEntered")]
    outputs = [json.loads(event["stateExitedEventDetails"]["output"]) for event in events if event["type"].endswith("StateExited")]
    expected = trace["execution"]
    differences = []
    if path != [visit["state"] for visit in expected["visits"]]:
        differences.append(f"path: moto {path}\n      java {[visit['state'] for visit in expected['visits']]}")
    else:
        java_outputs = [visit["output"] for visit in expected["visits"] if visit["output"] is not None]
        for index, (mine, theirs) in enumerate(zip(outputs, java_outputs)):
            difference = first_difference(normalised(mine), normalised(without_waits(theirs)))
            if difference:
                differences.append(f"output of {path[index]}: {difference}")
                break
        if len(outputs) != len(java_outputs):
            differences.append(f"states left: moto {len(outputs)}, java {len(java_outputs)}")
    if described["status"] != expected["status"]:
        differences.append(f"status: moto {described['status']}, java {expected['status']}")
    if expected["status"] == "SUCCEEDED":
        output = json.loads(described.get("output", "null"))
        difference = first_difference(normalised(output), normalised(without_waits(expected["output"])))
        if difference:
            differences.append(f"output: {difference}")
    else:
        failure = [event for event in events if event["type"] == "ExecutionFailed"]
        details = failure[0]["executionFailedEventDetails"] if failure else {}
        if details.get("error") != expected["error"] or normalised(details.get("cause")) != normalised(expected["cause"]):
            differences.append(f"error: moto {details.get('error')}: {details.get('cause')}\n       java {expected['error']}: {expected['cause']}")
    return path, described["status"], differences


def task_token(sfn, execution, index):
    """The task token of the index-th approval request, from the TaskScheduled event's parameters."""
    events = sfn.get_execution_history(executionArn=execution, maxResults=1000)["events"]
    scheduled = [event for event in events if event["type"] == "TaskScheduled"
                 and event["taskScheduledEventDetails"]["resource"].endswith("publish.waitForTaskToken")]
    if len(scheduled) <= index:
        return None
    parameters = json.loads(scheduled[index]["taskScheduledEventDetails"]["parameters"])
    message = parameters["Message"]
    message = json.loads(message) if isinstance(message, str) else message
    return message["taskToken"]


def main(folder):
    traces = sorted(Path(folder).glob("*.json"))
    if not traces:
        print(f"no traces in {folder}: run the tests first", file=sys.stderr)
        return 1
    server, endpoint = start_moto(queued_or_error)
    try:
        aws = clients(endpoint, "stepfunctions", "lambda", "iam", "sns")
        role = None
        failed = 0
        print(f"moto {__import__('moto').__version__} on {endpoint}: {len(traces)} executions recorded by the Java runner")
        for file in traces:
            trace = json.loads(file.read_text())
            if role is None:
                role = prepare(aws, trace["definition"])
            started = time.time()
            path, status, differences = replay(aws, endpoint, role, trace)
            verdict = "same" if not differences else "DIFFERENT"
            print(f"  {trace['name']:<30} {status:<9} {len(path):>3} states  {verdict}  ({time.time() - started:.1f} s)")
            for difference in differences:
                print("      " + difference)
            failed += bool(differences)
        print(f"{len(traces) - failed} of {len(traces)} executions took the same path through the same state outputs to the same"
              " end on both engines")
        if CAUSE_DROPPED_BY_MOTO:
            print(f"  not compared: the Cause of {sorted(CAUSE_DROPPED_BY_MOTO)} (SendTaskFailure), which moto 5.2.5 drops")
        return 0 if failed == 0 else 1
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "target/workflow-traces"))
