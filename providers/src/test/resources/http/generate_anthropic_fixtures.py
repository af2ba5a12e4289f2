import json, os
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "anthropic")
os.makedirs(out, exist_ok=True)
def ev(name, payload):
    return "event: " + name + "\ndata: " + json.dumps(payload, separators=(",", ":")) + "\n\n"
def start(mid, model, inp, out_=1, cr=0, cw=0):
    return ev("message_start", {"type": "message_start", "message": {"id": mid, "type": "message", "role": "assistant", "content": [], "model": model, "stop_reason": None, "stop_sequence": None, "usage": {"input_tokens": inp, "cache_creation_input_tokens": cw, "cache_read_input_tokens": cr, "output_tokens": out_, "service_tier": "standard"}}})
def block_start(i, block): return ev("content_block_start", {"type": "content_block_start", "index": i, "content_block": block})
def delta(i, d): return ev("content_block_delta", {"type": "content_block_delta", "index": i, "delta": d})
def block_stop(i): return ev("content_block_stop", {"type": "content_block_stop", "index": i})
def msg_delta(reason, out_): return ev("message_delta", {"type": "message_delta", "delta": {"stop_reason": reason, "stop_sequence": None}, "usage": {"output_tokens": out_}})
STOP = ev("message_stop", {"type": "message_stop"})
PING = ev("ping", {"type": "ping"})
def write(name, parts):
    with open(os.path.join(out, name), "w") as f:
        f.write("".join(parts))
M = "claude-sonnet-4-5-20250929"
# 1. text
p = [start("msg_01XFDUDYJgAACzvnptvVoYEL", M, 25, cr=0), block_start(0, {"type": "text", "text": ""}), PING]
for t in ["Hello", "! How", " can I", " help?"]:
    p.append(delta(0, {"type": "text_delta", "text": t}))
p += [block_stop(0), msg_delta("end_turn", 15), STOP]
write("text-stream.sse", p)
# 2. thinking + text + two tool_use blocks with input assembled from input_json_delta pieces
p = [start("msg_014p7gG3wDgGV9EUtLvnow3U", M, 472, cr=2048, cw=100)]
p.append(block_start(0, {"type": "thinking", "thinking": ""}))
for t in ["I need the weather", " in two cities."]:
    p.append(delta(0, {"type": "thinking_delta", "thinking": t}))
p.append(delta(0, {"type": "signature_delta", "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"}))
p.append(block_stop(0))
p.append(block_start(1, {"type": "text", "text": ""}))
p.append(delta(1, {"type": "text_delta", "text": "Checking both cities."}))
p.append(block_stop(1))
p.append(block_start(2, {"type": "tool_use", "id": "toolu_01T1x1fJ34qAmk2tNTrN7Up6", "name": "get_weather", "input": {}}))
for piece in ["", "{\"location\":", " \"San", " Francisc", "o, CA\"", ", ", "\"unit\": \"fah", "renheit\"}"]:
    p.append(delta(2, {"type": "input_json_delta", "partial_json": piece}))
p.append(block_stop(2))
p.append(PING)
p.append(block_start(3, {"type": "tool_use", "id": "toolu_01VjTc4bRyb9yZ1mCk7pQx2E", "name": "get_weather", "input": {}}))
for piece in ["{\"loca", "tion\": \"Par", "is, France\"}"]:
    p.append(delta(3, {"type": "input_json_delta", "partial_json": piece}))
p.append(block_stop(3))
p.append(block_start(4, {"type": "tool_use", "id": "toolu_01NoArgs000000000000000", "name": "list_files", "input": {}}))
p.append(block_stop(4))
p += [msg_delta("tool_use", 89), STOP]
write("tool-use.sse", p)
# 3. max_tokens, then continuation
p = [start("msg_01MaxA", M, 40), block_start(0, {"type": "text", "text": ""})]
for t in ["Part one", " of the plan "]:
    p.append(delta(0, {"type": "text_delta", "text": t}))
p += [block_stop(0), msg_delta("max_tokens", 8), STOP]
write("max-tokens-1.sse", p)
p = [start("msg_01MaxB", M, 60), block_start(0, {"type": "text", "text": ""}), delta(0, {"type": "text_delta", "text": "and part two."}), block_stop(0), msg_delta("end_turn", 5), STOP]
write("max-tokens-2.sse", p)
# 4. overloaded error event before any content
p = [start("msg_01Overload", M, 25), ev("error", {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})]
write("error-overloaded.sse", p)
# 5. cut after some text: no message_stop
full = open(os.path.join(out, "text-stream.sse")).read().split("\n\n")
write("cut-stream.sse", [t + "\n\n" for t in full[:5]])
# 6. a malformed event
p = [start("msg_01Bad", M, 25), block_start(0, {"type": "text", "text": ""}), delta(0, {"type": "text_delta", "text": "Par"}), "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_del\n\n", STOP]
write("malformed-event.sse", p)
with open(os.path.join(out, "error-401.json"), "w") as f:
    f.write(json.dumps({"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key"}, "request_id": "req_011CSHoEeqs5C35K2UUqR7Fy"}) + "\n")
with open(os.path.join(out, "error-529.json"), "w") as f:
    f.write(json.dumps({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}, "request_id": "req_011CSHoEeqs5C35K2UUqR7Fz"}) + "\n")
with open(os.path.join(out, "error-429.json"), "w") as f:
    f.write(json.dumps({"type": "error", "error": {"type": "rate_limit_error", "message": "Number of request tokens has exceeded your per-minute rate limit"}}) + "\n")
