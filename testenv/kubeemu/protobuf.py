"""Just enough of Kubernetes' protobuf encoding to read the request bodies kubectl's typed
clients send that way (application/vnd.kubernetes.protobuf): the "k8s\\0" envelope around a
runtime.Unknown, and the access review messages. Responses are always JSON, which those
clients accept (they ask for protobuf, then JSON)."""
from __future__ import annotations

MEDIA = "application/vnd.kubernetes.protobuf"
MAGIC = b"k8s\x00"


class ProtobufError(ValueError):
    pass


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(data):
            raise ProtobufError("truncated varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def fields(data: bytes) -> dict[int, list]:
    """A message's fields: number -> values (int for varints, bytes for length-delimited)."""
    found: dict[int, list] = {}
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(data, pos)
        elif wire == 2:
            length, pos = _varint(data, pos)
            value, pos = data[pos:pos + length], pos + length
        elif wire == 1:
            value, pos = data[pos:pos + 8], pos + 8
        elif wire == 5:
            value, pos = data[pos:pos + 4], pos + 4
        else:
            raise ProtobufError(f"unsupported wire type {wire}")
        found.setdefault(number, []).append(value)
    return found


def _text(message: dict, number: int) -> str:
    values = message.get(number)
    return values[-1].decode() if values else ""


def unwrap(body: bytes) -> tuple[str, str, bytes]:
    """(apiVersion, kind, raw object bytes) of an enveloped object."""
    if not body.startswith(MAGIC):
        raise ProtobufError("missing the k8s protobuf prefix")
    unknown = fields(body[len(MAGIC):])
    type_meta = fields(unknown.get(1, [b""])[-1])
    return _text(type_meta, 1), _text(type_meta, 2), unknown.get(2, [b""])[-1]


def access_review(raw: bytes) -> dict:
    """A SelfSubjectAccessReview (authorization.k8s.io/v1) as its JSON form."""
    review = fields(raw)
    spec = fields(review.get(2, [b""])[-1])
    result: dict = {}
    if 1 in spec:
        attrs = fields(spec[1][-1])
        names = {1: "namespace", 2: "verb", 3: "group", 4: "version", 5: "resource", 6: "subresource", 7: "name"}
        result["resourceAttributes"] = {name: _text(attrs, n) for n, name in names.items() if _text(attrs, n)}
    if 2 in spec:
        attrs = fields(spec[2][-1])
        result["nonResourceAttributes"] = {"path": _text(attrs, 1), "verb": _text(attrs, 2)}
    return {"spec": result}
