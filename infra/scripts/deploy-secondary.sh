#!/usr/bin/env sh
# azd postdeploy hook (azure.yaml): azd deploys one site per service and refuses two sites tagged azd-service-name=api,
# so only the primary carries the tag and this deploys the same package to the second region's Flex app (one deploy
# through `config-zip`, which Flex Consumption accepts). No second region (AZURE_FUNCTION_SECONDARY_NAME empty): nothing.
set -eu

name="${AZURE_FUNCTION_SECONDARY_NAME:-}"
if [ -z "$name" ]; then
  echo "deploy-secondary: no second region, nothing to deploy"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dotnet publish functions/Rtgf.Functions -c Release -o "$work/publish"
(cd "$work/publish" && zip -qr "$work/api.zip" .)
az functionapp deployment source config-zip \
  --resource-group "$AZURE_RESOURCE_GROUP" --name "$name" --src "$work/api.zip"
echo "deploy-secondary: deployed to $name"
