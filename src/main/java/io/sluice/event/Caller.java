package io.sluice.event;

import java.util.regex.Pattern;

import io.sluice.error.Echo;
import io.sluice.error.NotAllowed;

/**
 * Who called a function through its URL: the IAM principal AWS authenticated ({@code AWS_IAM} auth) and put into the
 * request context ({@code requestContext.authorizer.iam.userArn}), never a field of the body.
 *
 * @param principal the caller's ARN: a user ({@code arn:aws:iam::123456789012:user/alice}) or a role session
 *                  ({@code arn:aws:sts::123456789012:assumed-role/Approvers/alice})
 */
public record Caller(String principal) {

    private static final Pattern PRINCIPAL = Pattern.compile("arn:aws[a-z-]*:(iam|sts)::\\d{12}:[A-Za-z0-9+=,.@_/:-]{1,512}");

    public Caller {
        if (principal == null || !PRINCIPAL.matcher(principal).matches()) {
            throw new NotAllowed("the request context names no IAM principal (requestContext.authorizer.iam.userArn is "
                    + Echo.value(principal) + "): this function answers its function URL with AWS_IAM auth only");
        }
    }

    /**
     * Who the principal is as a person: a role session's name ({@code alice} of
     * {@code assumed-role/Approvers/alice}; the deploy workflow names its session after the GitHub actor), else the ARN.
     */
    public String sessionName() {
        int assumed = principal.indexOf(":assumed-role/");
        if (assumed < 0) {
            return principal;
        }
        return principal.substring(principal.lastIndexOf('/') + 1);
    }
}
