import { describe, expect, it } from "vitest";
import { channelFromFields, emptyChannelFields, fieldsOfChannel } from "./notification-channel-fields";

const id = "8d0e6c1a-1f2b-4c3d-8e4f-5a6b7c8d9e0f";

describe("the notification channel form", () => {
  it("round-trips an e-mail channel, recipients one per line", () => {
    const result = channelFromFields(
      {
        ...emptyChannelFields,
        type: "email",
        name: "Security mail",
        host: "smtp.example.com",
        port: "587",
        security: "starttls",
        username: "sealdeck",
        passwordEnv: "SEALDECK_NOTIFY_SMTP_PASSWORD",
        from: "sealdeck@example.com",
        to: "sec@example.com\n oncall@example.com, ",
      },
      id,
    );
    expect(result).toMatchObject({
      ok: true,
      channel: { type: "email", port: 587, to: ["sec@example.com", "oncall@example.com"] },
    });
    if (result.ok) expect(channelFromFields(fieldsOfChannel(result.channel), id)).toEqual(result);
  });

  it("names each field's problem: a secret typed where its variable's name belongs, a URL with a token", () => {
    expect(
      channelFromFields({ ...emptyChannelFields, name: "Slack", urlEnv: "https://hooks.slack.com/x" }, id),
    ).toEqual({
      ok: false,
      errors: { urlEnv: expect.stringContaining("environment variable name") },
    });
    expect(
      channelFromFields({ ...emptyChannelFields, name: "Slack", urlEnv: "DATABASE_URL" }, id),
    ).toMatchObject({
      ok: false,
      errors: { urlEnv: expect.stringContaining("SEALDECK_NOTIFY_") },
    });
    expect(
      channelFromFields(
        {
          ...emptyChannelFields,
          type: "webhook",
          name: "Hook",
          url: "https://hooks.example.com/x?token=abc",
        },
        id,
      ),
    ).toMatchObject({ ok: false, errors: { url: expect.stringContaining("query") } });
    expect(
      channelFromFields(
        { ...emptyChannelFields, type: "webhook", name: "Hook", url: "http://hooks.example.com/x" },
        id,
      ),
    ).toMatchObject({ ok: false, errors: { url: expect.stringContaining("https") } });
  });

  it("refuses a password over plain SMTP except to this machine", () => {
    const mail = {
      ...emptyChannelFields,
      type: "email" as const,
      name: "Mail",
      port: "25",
      security: "none" as const,
      username: "u",
      passwordEnv: "SEALDECK_NOTIFY_SMTP_PASSWORD",
      from: "a@example.com",
      to: "b@example.com",
    };
    expect(channelFromFields({ ...mail, host: "smtp.example.com" }, id)).toMatchObject({
      ok: false,
      errors: { security: expect.stringContaining("tls") },
    });
    expect(channelFromFields({ ...mail, host: "localhost" }, id)).toMatchObject({ ok: true });
  });
});
