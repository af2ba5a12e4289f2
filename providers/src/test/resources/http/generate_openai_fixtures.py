import json, os
import sys
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "openai")
os.makedirs(out, exist_ok=True)
CREATED = 1732250000
def chunk(cid, model, delta=None, finish=None, usage=None, choices=True, fp="fp_0ba0d124f1"):
    c = {"id": cid, "object": "chat.completion.chunk", "created": CREATED, "model": model,
         "service_tier": "default", "system_fingerprint": fp}
    if choices:
        c["choices"] = [{"index": 0, "delta": delta if delta is not None else {}, "logprobs": None, "finish_reason": finish}]
    else:
        c["choices"] = []
    c["usage"] = usage
    return "data: " + json.dumps(c, separators=(",", ":")) + "\n\n"
def usage(p, c, cached=0, reasoning=0):
    return {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c,
            "prompt_tokens_details": {"cached_tokens": cached, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": reasoning, "audio_tokens": 0,
                                          "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}}
def write(name, parts):
    with open(os.path.join(out, name), "w") as f:
        f.write("".join(parts))

M = "gpt-4o-mini-2024-07-18"
# 1. plain text stream with usage chunk
cid = "chatcmpl-AXpCdQ8AlpP7vrX3eBVvKSdWwD9Nk"
parts = [chunk(cid, M, {"role": "assistant", "content": "", "refusal": None})]
for piece in ["Hello", "!", " How", " can", " I", " help", " you", " today", "?"]:
    parts.append(chunk(cid, M, {"content": piece}))
parts.append(chunk(cid, M, {}, "stop"))
parts.append(chunk(cid, M, choices=False, usage=usage(19, 10, cached=0)))
parts.append("data: [DONE]\n\n")
write("text-stream.sse", parts)

# 2. one tool call whose arguments arrive a few characters at a time, after reasoning deltas
cid = "chatcmpl-AXpD1f2uYc0bO8mY2Ih6TbXn6oP1w"
args = json.dumps({"path": "notes/todo.md", "content": "- [x] write tests\n- [ ] ship"}, separators=(",", ":"))
parts = [chunk(cid, "gpt-4.1-2025-04-14", {"role": "assistant", "content": None})]
for piece in ["The user wants", " a todo file."]:
    parts.append(chunk(cid, "gpt-4.1-2025-04-14", {"reasoning_content": piece}))
parts.append(chunk(cid, "gpt-4.1-2025-04-14", {"tool_calls": [{"index": 0, "id": "call_DdmO9pD3xa9XTPNJ32zg2hcA", "type": "function", "function": {"name": "write_file", "arguments": ""}}]}))
for i in range(0, len(args), 3):
    parts.append(chunk(cid, "gpt-4.1-2025-04-14", {"tool_calls": [{"index": 0, "function": {"arguments": args[i:i+3]}}]}))
parts.append(chunk(cid, "gpt-4.1-2025-04-14", {}, "tool_calls"))
parts.append(chunk(cid, "gpt-4.1-2025-04-14", choices=False, usage=usage(2048, 57, cached=1024)))
parts.append("data: [DONE]\n\n")
write("tool-call-split.sse", parts)

# 3. three tool calls in one turn, interleaved, the third with arguments that are not an object
cid = "chatcmpl-AXpE7r9Zs0yq2BvPZbE4kXk0mN3Qa"
calls = [("call_a1", "read_file", json.dumps({"path": "README.md"})),
         ("call_b2", "run_command", json.dumps({"command": "mvn -q test", "timeoutSeconds": 120})),
         ("call_c3", "list_files", "[\"src\", \"docs\"]")]
parts = [chunk(cid, M, {"role": "assistant", "content": "Let me look around."})]
for idx, (cid_, name, _) in enumerate(calls):
    parts.append(chunk(cid, M, {"tool_calls": [{"index": idx, "id": cid_, "type": "function", "function": {"name": name, "arguments": ""}}]}))
pieces = [[a[i:i+5] for i in range(0, len(a), 5)] for (_, _, a) in calls]
for step in range(max(len(p) for p in pieces)):
    for idx, p in enumerate(pieces):
        if step < len(p):
            parts.append(chunk(cid, M, {"tool_calls": [{"index": idx, "function": {"arguments": p[step]}}]}))
parts.append(chunk(cid, M, {}, "tool_calls"))
parts.append(chunk(cid, M, choices=False, usage=usage(812, 96)))
parts.append("data: [DONE]\n\n")
write("tool-calls-parallel.sse", parts)

# 4. truncated at the output limit, then the continuation
cid = "chatcmpl-AXpF0lenA"
parts = [chunk(cid, M, {"role": "assistant", "content": ""})]
for piece in ["Step 1: read", " the file.", " Step 2:"]:
    parts.append(chunk(cid, M, {"content": piece}))
parts.append(chunk(cid, M, {}, "length"))
parts.append(chunk(cid, M, choices=False, usage=usage(100, 16)))
parts.append("data: [DONE]\n\n")
write("length-1.sse", parts)
cid = "chatcmpl-AXpF1lenB"
parts = [chunk(cid, M, {"role": "assistant", "content": ""})]
for piece in [" write", " the tests."]:
    parts.append(chunk(cid, M, {"content": piece}))
parts.append(chunk(cid, M, {}, "stop"))
parts.append(chunk(cid, M, choices=False, usage=usage(130, 5)))
parts.append("data: [DONE]\n\n")
write("length-2.sse", parts)

# 5. a malformed chunk after some text
cid = "chatcmpl-AXpG2bad"
parts = [chunk(cid, M, {"role": "assistant", "content": ""}), chunk(cid, M, {"content": "Partial"})]
parts.append('data: {"id":"chatcmpl-AXpG2bad","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":" answ\n\n')
parts.append(chunk(cid, M, {}, "stop"))
parts.append("data: [DONE]\n\n")
write("malformed-chunk.sse", parts)

# 6. the first half of a text stream: no finish, no [DONE]
text = open(os.path.join(out, "text-stream.sse")).read().split("\n\n")
write("cut-stream.sse", [t + "\n\n" for t in text[:5]])

# 7. error bodies (from the API reference's error shapes)
with open(os.path.join(out, "error-401.json"), "w") as f:
    f.write(json.dumps({"error": {"message": "Incorrect API key provided: sk-test-LOOPWIRE-SECRET-1234567890. You can find your API key at https://platform.openai.com/account/api-keys.", "type": "invalid_request_error", "param": None, "code": "invalid_api_key"}}, indent=4) + "\n")
with open(os.path.join(out, "error-429.json"), "w") as f:
    f.write(json.dumps({"error": {"message": "Rate limit reached for gpt-4o-mini in organization org-abc on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.", "type": "requests", "param": None, "code": "rate_limit_exceeded"}}, indent=4) + "\n")
with open(os.path.join(out, "error-500.json"), "w") as f:
    f.write(json.dumps({"error": {"message": "The server had an error while processing your request. Sorry about that!", "type": "server_error", "param": None, "code": None}}, indent=4) + "\n")
