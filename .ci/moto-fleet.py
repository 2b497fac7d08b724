#!/usr/bin/env python3
"""Runs the fleets the Java runner recorded (FleetScenariosTest) on moto's Step Functions engine, as far as it goes.

For each trace in the folder given: the rendered fleet definition runs in moto as written, with its Distributed Maps
reading each wave from moto's S3 (the objects the fleet function wrote, put there first), MaxConcurrencyPath,
ToleratedFailurePercentagePath, ResultWriter to moto's S3, and states:startExecution.sync:2 starting a pipeline in
moto. What moto cannot run is stood in for: the Lambda tasks of the fleet itself return what they returned to the Java
runner (queued, in order), and the pipeline each item starts is a stand-in state machine that ends each database as
its real pipeline ended in the Java run (released with its versions, or failed with its error). So this checks the
fleet's own orchestration on a second engine: the same states in the same order (the waves looped over, the one that
stops the fleet, the rollback wave), and the same end. Exit code 0 when every fleet matches, 1 otherwise.

What moto 5.2.5 does not run, and how this script stands in for it (each found by running it, not assumed):
- startExecution.sync:2 inside a Distributed Map returns null without running the child: each item runs, in the
  item processor itself, a stand-in of its pipeline that ends as the Java run's pipeline ended.
- A Distributed Map succeeds whatever its items do (a failed item becomes a null result, beyond any tolerance): a fleet
  whose wave failed in the Java run is compared up to that wave, and reported as such, not as the same.
- ResultWriter's Bucket.$ and Prefix.$ are evaluated against the Map's results rather than the state's input: the
  definition run here writes them out.
- An integer ToleratedFailurePercentage (100) does not parse: the definition says 100.0.
"""
import json
import sys
import time
from pathlib import Path

from moto_support import clients, post, queued_or_error, queued_results, start_moto



def rollback_results(trace):
    """The fleet's rollback wave has no calls in the trace (its items invoke the rollback function): each released
    database of the stopped wave gets the rollback function's answer."""
    def extra(visit):
        if visit["state"] != "RollbackWave":
            return None
        rollback = json.loads(next((body for key, body in trace["objects"].items() if key.endswith("rollback.json")), "[]"))
        return [json.dumps({"status": "ROLLED_BACK", "versionAfter": item["targetVersion"]}) for item in rollback]
    return extra


def stand_in(children):
    """An item processor that ends each database as the Java run's pipeline did: released with the versions it reported
    (what the wave's processor keeps of a pipeline's output), or failed with its pipeline's error."""
    states = {}
    choices = []
    for index, (name, child) in enumerate(sorted(children.items())):
        if "status" not in child:
            continue  # never started in the Java run
        state = f"Database{index}"
        choices.append({"Variable": "$.name", "StringEquals": name, "Next": state})
        if child["status"] == "SUCCEEDED":
            report = child["output"]["results"]
            states[state] = {"Type": "Pass", "Result": {"name": name, "execution": f"stand-in:{name}",
                                                        "versionBefore": report["preflight"]["report"]["currentVersion"],
                                                        "versionAfter": report["migrate"]["report"]["versionAfter"]}, "End": True}
        else:
            states[state] = {"Type": "Fail", "Error": "States.TaskFailed",
                             "Cause": json.dumps({"Error": child["error"], "Cause": child["cause"]})}
    states["NotInTheJavaRun"] = {"Type": "Fail", "Error": "NotInTheJavaRun", "Cause": "the Java run never started this database"}
    if not choices:
        return {"StartAt": "NotInTheJavaRun", "States": states}
    states["Outcome"] = {"Type": "Choice", "Choices": choices, "Default": "NotInTheJavaRun"}
    return {"StartAt": "Outcome", "States": states}


def for_moto(definition, name, stand_in_processor):
    """The definition with each ResultWriter's bucket and prefix written out: moto 5.2.5 evaluates their paths against the
    Map's results instead of the state's input (Step Functions evaluates them against the input, as the Java runner
    does), so each of them would fail there; and each wave's item processor is the stand-in of the pipeline."""
    definition = json.loads(json.dumps(definition))
    for state_name, state in definition["States"].items():
        writer = state.get("ResultWriter")
        if writer:
            writer["Parameters"] = {"Bucket": "sluice-fleet", "Prefix": f"fleet/{name}/results/{state_name}"}
        processor = state.get("ItemProcessor", {})
        if any(task.get("Resource", "").startswith("arn:aws:states:::states:startExecution") for task in processor.get("States", {}).values()):
            # moto 5.2.5 returns null from startExecution.sync:2 inside a Distributed Map without running the child: each
            # item runs the stand-in of its pipeline in the item processor itself instead.
            processor["StartAt"] = stand_in_processor["StartAt"]
            processor["States"] = stand_in_processor["States"]
    return definition


def replay(aws, endpoint, role, trace):
    name = trace["name"]
    sfn = aws["stepfunctions"]
    for key, body in trace["objects"].items():
        aws["s3"].put_object(Bucket="sluice-fleet", Key=key, Body=body.encode())
    fleet = sfn.create_state_machine(name="sluice-fleet-" + name, definition=json.dumps(for_moto(trace["definition"], name,
                                     stand_in(trace["children"]))), roleArn=role)["stateMachineArn"]
    try:
        post(endpoint + "/moto-api/static/lambda-simple/response", {"results": queued_results(trace, rollback_results(trace))})
        execution = sfn.start_execution(stateMachineArn=fleet, name=name, input=json.dumps(trace["input"]))["executionArn"]
        answer = next((visit["calls"][-1] for visit in trace["execution"]["visits"] if visit["state"] == "RequestApproval"), None)
        deadline = time.time() + 180
        while True:
            described = sfn.describe_execution(executionArn=execution)
            if described["status"] != "RUNNING":
                break
            if time.time() > deadline:
                raise RuntimeError(f"{name}: still RUNNING after 180 s")
            token = approval_token(sfn, execution) if answer else None
            if token:
                # The fleet's one approval, answered as the Java run's approvers answered it.
                if answer["result"] is not None:
                    sfn.send_task_success(taskToken=token, output=json.dumps(answer["result"]))
                else:
                    sfn.send_task_failure(taskToken=token, error=answer["error"], cause=answer["cause"])
                answer = None
            time.sleep(0.2)
        events = sfn.get_execution_history(executionArn=execution, maxResults=1000)["events"]
        path = [event["stateEnteredEventDetails"]["name"] for event in events if event["type"].endswith("StateEntered")]
        if "--verbose" in sys.argv:
            for event in events:
                if event["type"].endswith("StateEntered") and event["stateEnteredEventDetails"]["name"] == "Stopped":
                    print("      moto's error: " + json.dumps(json.loads(event["stateEnteredEventDetails"]["input"]).get("error"))[:1500])
        expected = trace["execution"]
        differences = []
        java_path = [visit["state"] for visit in expected["visits"]]
        stopped = next((index for index in range(1, len(java_path)) if java_path[index - 1] == "Wave" and java_path[index] == "Stopped"), None)
        if path != java_path and stopped is not None and path[:stopped] == java_path[:stopped] and path[stopped:stopped + 1] == ["WaveDone"]:
            # moto 5.2.5's Distributed Map succeeds whatever its items do (a failed item becomes a null result, beyond any
            # tolerance), so a wave that stops the fleet cannot stop it there: compared up to that wave.
            return path, described["status"], 0, [], f"same up to the wave that stopped the fleet (state {stopped}); moto's" \
                " Distributed Map does not fail on failed items"
        if path != java_path:
            differences.append(f"path: moto {path}\n      java {java_path}")
        if described["status"] != expected["status"]:
            failure = [event for event in events if event["type"] == "ExecutionFailed"]
            details = failure[0]["executionFailedEventDetails"] if failure else {}
            differences.append(f"status: moto {described['status']} {details.get('error')}: {str(details.get('cause'))[:400]},"
                               f" java {expected['status']}")
        elif expected["status"] != "SUCCEEDED":
            failure = [event for event in events if event["type"] == "ExecutionFailed"]
            details = failure[0]["executionFailedEventDetails"] if failure else {}
            if details.get("error") != expected["error"]:
                differences.append(f"error: moto {details.get('error')}, java {expected['error']}")
        written = aws["s3"].list_objects_v2(Bucket="sluice-fleet", Prefix=f"fleet/{name}/results/").get("KeyCount", 0)
        return path, described["status"], written, differences, None
    finally:
        sfn.delete_state_machine(stateMachineArn=fleet)


def approval_token(sfn, execution):
    """The task token of the fleet's approval request, once it is scheduled."""
    for event in sfn.get_execution_history(executionArn=execution, maxResults=1000)["events"]:
        if event["type"] == "TaskScheduled" and event["taskScheduledEventDetails"]["resource"].endswith("publish.waitForTaskToken"):
            message = json.loads(event["taskScheduledEventDetails"]["parameters"])["Message"]
            return (json.loads(message) if isinstance(message, str) else message)["taskToken"]
    return None


def main(folder):
    traces = sorted(Path(folder).glob("*.json"))
    if not traces:
        print(f"no fleet traces in {folder}: run the tests first", file=sys.stderr)
        return 1
    server, endpoint = start_moto(queued_or_error)
    try:
        aws = clients(endpoint, "stepfunctions", "lambda", "iam", "sns", "s3")
        role = aws["iam"].create_role(RoleName="sluice-fleet", AssumeRolePolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"},
                                                     "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
        aws["sns"].create_topic(Name="sluice-notifications")
        aws["s3"].create_bucket(Bucket="sluice-fleet")
        for function in ("fleet", "validate", "rollback"):
            aws["lambda"].create_function(FunctionName="sluice-" + function, Runtime="provided.al2023", Role=role,
                                          Handler="bootstrap", Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18})
        print(f"moto {__import__('moto').__version__} on {endpoint}: {len(traces)} fleets recorded by the Java runner")
        failed = 0
        limited = 0
        for file in traces:
            trace = json.loads(file.read_text())
            started = time.time()
            path, status, written, differences, limit = replay(aws, endpoint, role, trace)
            verdict = "DIFFERENT" if differences else limit or "same"
            print(f"  {trace['name']:<20} {status:<9} {len(path):>3} states, {written:>2} result objects  {verdict}"
                  f"  ({time.time() - started:.1f} s)")
            limited += limit is not None
            for difference in differences:
                print("      " + difference)
            failed += bool(differences)
        print(f"{len(traces) - failed - limited} of {len(traces)} fleets took the same path to the same end on both engines;"
              f" {limited} the same path up to the wave that stopped them, where moto's Distributed Map cannot fail")
        return 0 if failed == 0 else 1
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "target/fleet-traces"))
