"""The content store on an S3-compatible object store (``SDS_STORAGE=s3``), through boto3.

A blob is uploaded under a temporary key as a multipart upload (parts of 8 MiB, so a large document never sits
whole in memory), hashed on the way; once complete it is copied to its address (``{prefix}{sha256}``) and the
temporary key removed. An upload the process does not finish is never visible under an address: an incomplete
multipart upload is no object, and a leftover temporary key names no document (a lifecycle rule on
``{prefix}tmp/`` clears both). Credentials come from boto3's own chain (environment, profile, instance role).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
from anyio import to_thread
from botocore.config import Config

from services.documenten.storage import CHUNK, Blob, StoreCorrupt, check_address, concat_by_reading

PART = 8 * 1024 * 1024  # S3's parts are at least 5 MiB, except the last


class S3Store:
    def __init__(self, settings: Any, client: Any = None) -> None:
        if not settings.s3_bucket:
            raise ValueError("SDS_S3_BUCKET is required with SDS_STORAGE=s3")
        self.bucket = settings.s3_bucket
        self.prefix = settings.s3_prefix
        self.client = client or boto3.client("s3", endpoint_url=settings.s3_endpoint_url,
                                             region_name=settings.s3_region,
                                             config=Config(retries={"max_attempts": 5, "mode": "standard"}))

    def key(self, sha256: str) -> str:
        return f"{self.prefix}{check_address(sha256)}"

    async def put(self, chunks: AsyncIterator[bytes | memoryview]) -> Blob:
        tmp = f"{self.prefix}tmp/{uuid.uuid4().hex}"
        digest = hashlib.sha256()
        size = 0
        buffer = bytearray()
        upload_id: str | None = None
        parts: list[dict[str, Any]] = []

        async def flush() -> None:
            nonlocal upload_id
            if upload_id is None:
                upload_id = (await to_thread.run_sync(lambda: self.client.create_multipart_upload(
                    Bucket=self.bucket, Key=tmp)))["UploadId"]
            number = len(parts) + 1
            body = bytes(buffer)
            answer = await to_thread.run_sync(lambda: self.client.upload_part(
                Bucket=self.bucket, Key=tmp, UploadId=upload_id, PartNumber=number, Body=body))
            parts.append({"PartNumber": number, "ETag": answer["ETag"]})
            buffer.clear()

        try:
            async for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                buffer += chunk
                if len(buffer) >= PART:
                    await flush()
            if upload_id is None:
                body = bytes(buffer)
                await to_thread.run_sync(lambda: self.client.put_object(Bucket=self.bucket, Key=tmp, Body=body))
            else:
                if buffer:
                    await flush()
                await to_thread.run_sync(lambda: self.client.complete_multipart_upload(
                    Bucket=self.bucket, Key=tmp, UploadId=upload_id, MultipartUpload={"Parts": parts}))
        except BaseException:
            if upload_id is not None:
                await to_thread.run_sync(lambda: self.client.abort_multipart_upload(
                    Bucket=self.bucket, Key=tmp, UploadId=upload_id))
            raise
        sha256 = digest.hexdigest()
        await to_thread.run_sync(lambda: self.client.copy(
            {"Bucket": self.bucket, "Key": tmp}, self.bucket, self.key(sha256)))
        await to_thread.run_sync(lambda: self.client.delete_object(Bucket=self.bucket, Key=tmp))
        return Blob(sha256, size)

    async def concat(self, parts: list[str]) -> Blob:
        """Read and put again: the address is the SHA-256 of the whole, which only reading it gives."""
        return await concat_by_reading(self, parts)

    async def read(self, sha256: str) -> AsyncIterator[bytes]:
        answer = await to_thread.run_sync(lambda: self.client.get_object(Bucket=self.bucket, Key=self.key(sha256)))
        body = answer["Body"]
        digest = hashlib.sha256()
        try:
            while chunk := await to_thread.run_sync(body.read, CHUNK):
                digest.update(chunk)
                yield chunk
        finally:
            body.close()
        if digest.hexdigest() != sha256:
            raise StoreCorrupt(f"blob {sha256} does not match its content")

    async def delete(self, sha256: str) -> None:
        await to_thread.run_sync(lambda: self.client.delete_object(Bucket=self.bucket, Key=self.key(sha256)))

    async def older_than(self, seconds: float) -> list[str]:
        """Every put copies onto the address, content already there too, so LastModified is the last put."""
        def scan() -> list[str]:
            limit = datetime.now(UTC) - timedelta(seconds=seconds)
            out = []
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket,
                                                                               Prefix=self.prefix):
                for item in page.get("Contents", []):
                    name = item["Key"][len(self.prefix):]
                    if "/" not in name and item["LastModified"] < limit:
                        out.append(name)
            return out

        return await to_thread.run_sync(scan)
