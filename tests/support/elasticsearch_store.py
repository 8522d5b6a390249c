"""The stand-in's documents and bulk semantics (tests/support/elasticsearch_standin.py serves them over HTTP):
Elasticsearch's actions, versions, per-item results and errors, and the faults a test asks for."""
import base64
import fnmatch
import json
import threading
import time
import uuid

VARIANTS = {
    "es7": {"number": "7.17.9", "lucene_version": "8.11.1", "build_flavor": "default",
            "minimum_wire_compatibility_version": "6.8.0", "minimum_index_compatibility_version": "6.0.0-beta1"},
    "es8": {"number": "8.11.3", "lucene_version": "9.8.0", "build_flavor": "default",
            "minimum_wire_compatibility_version": "7.17.0", "minimum_index_compatibility_version": "7.0.0"},
    "opensearch2": {"distribution": "opensearch", "number": "2.11.1", "lucene_version": "9.7.0",
                    "minimum_wire_compatibility_version": "7.10.0", "minimum_index_compatibility_version": "7.0.0"},
}
ACTIONS = ("index", "create", "update", "delete")


class BulkError(Exception):
    """A whole request refused: status and Elasticsearch's error type and reason."""

    def __init__(self, status, type_, reason):
        super().__init__(reason)
        self.status, self.type, self.reason = status, type_, reason


def error_body(status, type_, reason, header=None):
    cause = {"type": type_, "reason": reason}
    if header:
        cause["header"] = header
    return {"error": {"root_cause": [cause], **cause}, "status": status}


class Store:
    """Documents by index and id, with versions and sequence numbers, and the faults to inject."""

    def __init__(self, variant):
        self.variant = variant
        self.lock = threading.Lock()
        self.indexes = {}
        self.templates = {}
        self.seq_no = 0
        self.faults = {}
        self.stats = {"requests": 0, "bulk_requests": 0, "bulk_items": 0, "bytes_received": 0, "faults_served": 0}

    def take_fault(self, name):
        """Counts down a numbered fault; true while it lasts."""
        with self.lock:
            left = self.faults.get(name, 0)
            if left <= 0:
                return False
            self.faults[name] = left - 1
            self.stats["faults_served"] += 1
            return True

    # --- bulk -------------------------------------------------------------------------------------------------
    def bulk(self, body, default_index):
        if body and not body.endswith(b"\n"):
            raise BulkError(400, "illegal_argument_exception", "The bulk request must be terminated by a newline [\\n]")
        lines = [line for line in body.split(b"\n") if line.strip()]
        operations, i = [], 0
        while i < len(lines):
            meta = parse_json(lines[i], i + 1)
            if not isinstance(meta, dict) or len(meta) != 1 or next(iter(meta)) not in ACTIONS:
                raise BulkError(400, "illegal_argument_exception", f"Malformed action/metadata line [{i + 1}]")
            action, params = next(iter(meta.items()))
            if "_type" in params and self.variant != "es7":
                raise BulkError(400, "illegal_argument_exception",
                                f"Action/metadata line [{i + 1}] contains an unknown parameter [_type]")
            source = None
            if action != "delete":
                if i + 1 >= len(lines):
                    raise BulkError(400, "action_request_validation_exception",
                                    "Validation Failed: 1: no requests added;")
                source = parse_json(lines[i + 1], i + 2)
                i += 1
            index = params.get("_index", default_index)
            if not index:
                raise BulkError(400, "action_request_validation_exception", "Validation Failed: 1: index is missing;")
            operations.append((action, index, params, source))
            i += 1
        started = time.monotonic()
        with self.lock:
            items = [{action: self.apply(action, index, params, source)}
                     for action, index, params, source in operations]
            self.stats["bulk_requests"] += 1
            self.stats["bulk_items"] += len(items)
        took = int((time.monotonic() - started) * 1000)
        return {"took": took, "errors": any("error" in next(iter(it.values())) for it in items), "items": items}

    def apply(self, action, index, params, source):
        doc_id = params.get("_id")
        head = {"_index": index, "_id": doc_id}
        if self.variant == "es7":
            head["_type"] = "_doc"
        fail_status = self.faults.get("item_status", 429)
        if self.faults.get("fail_items", 0) > 0:
            self.faults["fail_items"] -= 1
            kind = "es_rejected_execution_exception" if fail_status == 429 else "unavailable_shards_exception"
            return {**head, "status": fail_status, "error": {"type": kind, "reason": f"stand-in fault {fail_status}"}}
        field = self.faults.get("reject_field")
        if field and action != "delete" and lookup(source, field) == self.faults.get("reject_value"):
            value = self.faults.get("reject_value")
            return {**head, "status": 400, "error": {
                "type": "mapper_parsing_exception",
                "reason": f"failed to parse field [{field}] of type [long] in document with id '{doc_id}'. "
                          f"Preview of field's value: '{value}'"}}
        docs = self.indexes.setdefault(index, {})
        if doc_id is None:
            if action in ("update", "delete"):
                return {**head, "status": 400, "error": {"type": "action_request_validation_exception",
                                                         "reason": "Validation Failed: 1: id is missing;"}}
            doc_id = head["_id"] = base64.urlsafe_b64encode(uuid.uuid4().bytes)[:20].decode()
        current = docs.get(doc_id)
        external = params.get("version_type") in ("external", "external_gte")
        version = params.get("version")
        if external:
            if action == "update":
                return {**head, "status": 400, "error": {"type": "action_request_validation_exception",
                        "reason": "Validation Failed: 1: can't provide version in update request;"}}
            if not isinstance(version, int) or version < 0:
                return {**head, "status": 400, "error": {"type": "action_request_validation_exception",
                        "reason": "Validation Failed: 1: illegal version value [" + str(version) + "] for version type"
                                  " [EXTERNAL];"}}
            newer = version >= current["_version"] if params.get("version_type") == "external_gte" and current \
                else (current is None or version > current["_version"])
            if current and not newer:
                return {**head, "status": 409, "error": {"type": "version_conflict_engine_exception",
                        "reason": f"[{doc_id}]: version conflict, current version [{current['_version']}] is higher "
                                  f"or equal to the one provided [{version}]"}}
        if action == "create" and current:
            return {**head, "status": 409, "error": {"type": "version_conflict_engine_exception",
                    "reason": f"[{doc_id}]: version conflict, document already exists "
                              f"(current version [{current['_version']}])"}}
        if action == "delete":
            if not current:
                return {**head, "_version": version if external else 1, "result": "not_found", "status": 404,
                        **self.shards()}
            del docs[doc_id]
            return {**head, "_version": version if external else current["_version"] + 1, "result": "deleted",
                    "status": 200, **self.shards()}
        if action == "update":
            if not isinstance(source, dict) or "doc" not in source:
                return {**head, "status": 400, "error": {"type": "action_request_validation_exception",
                        "reason": "Validation Failed: 1: script or doc is missing;"}}
            if not current and not source.get("doc_as_upsert"):
                where = f"[_doc][{doc_id}]" if self.variant == "es7" else f"[{doc_id}]"
                return {**head, "status": 404, "error": {"type": "document_missing_exception",
                        "reason": f"{where}: document missing", "index": index}}
            merged = merge(dict(current["_source"]) if current else {}, source["doc"])
            if current and merged == current["_source"]:
                return {**head, "_version": current["_version"], "result": "noop", "status": 200, **self.shards()}
            new_version = current["_version"] + 1 if current else 1
            docs[doc_id] = {"_source": merged, "_version": new_version}
            return {**head, "_version": new_version, "result": "updated" if current else "created",
                    "status": 200 if current else 201, **self.shards()}
        new_version = version if external else (current["_version"] + 1 if current else 1)
        docs[doc_id] = {"_source": source, "_version": new_version}
        return {**head, "_version": new_version, "result": "updated" if current else "created",
                "status": 200 if current else 201, **self.shards()}

    def shards(self):
        self.seq_no += 1
        return {"_shards": {"total": 1, "successful": 1, "failed": 0}, "_seq_no": self.seq_no - 1, "_primary_term": 1}

    def matching(self, pattern):
        names = [n for part in pattern.split(",") for n in self.indexes if fnmatch.fnmatchcase(n, part)]
        return sorted(set(names))


def parse_json(line, number):
    try:
        return json.loads(line)
    except ValueError as e:
        raise BulkError(400, "x_content_parse_exception", f"[{number}:1] Failed to parse line: {e}") from None


def lookup(source, dotted):
    for part in dotted.split("."):
        if not isinstance(source, dict) or part not in source:
            return None
        source = source[part]
    return source


def merge(target, patch):
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            target[key] = merge(dict(target[key]), value)
        else:
            target[key] = value
    return target
