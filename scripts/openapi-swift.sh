#!/usr/bin/env bash
# Copies docs/openapi.yaml into the server's embedded document.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  echo '/// The OpenAPI 3.1 document served at `/openapi.yaml`: a copy of docs/openapi.yaml'
  echo '/// (a test keeps the two equal and checks real responses against it).'
  echo '/// Regenerate with `scripts/openapi-swift.sh` after editing docs/openapi.yaml.'
  echo 'enum OpenAPIDocument {'
  echo '    static let yaml = #"""'
  cat docs/openapi.yaml
  echo '"""#'
  echo '}'
} > Sources/DeconflictServer/Routes/OpenAPIDocument.swift
