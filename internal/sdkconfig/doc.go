// Package sdkconfig reads the plain-text credential setups that Zscaler's
// SDKs and Terraform providers use, so that zconn can import them, and takes
// the plaintext secret out of the SDKs' YAML file afterwards.
//
// Two kinds of setup exist:
//   - environment variables: ZSCALER_CLIENT_ID, ZSCALER_CLIENT_SECRET or
//     ZSCALER_PRIVATE_KEY, ZSCALER_VANITY_DOMAIN, ZSCALER_CLOUD, the ZPA
//     customer and microtenant IDs (ZPA_* as the Go SDK and Terraform read
//     them, ZSCALER_* as the Python SDK does) and ZSCALER_PARTNER_ID;
//   - the SDKs' YAML file, ~/.zscaler/zscaler.yaml (both SDKs) or
//     ./zscaler.yaml (the Python SDK), whose zscaler.client section holds
//     clientId, clientSecret or privateKey, vanityDomain, cloud, customerId,
//     microtenantId and partnerId.
//
// FromEnv and FromFile read one setup each; Discover looks in every place
// the SDKs look and lists what it finds. RemoveSecret rewrites a YAML file
// without its secret, through go.yaml.in/yaml/v3's node API.
//
// Files are treated as untrusted: they are read only when they are regular
// files, at most MaxFileSize bytes, YAML aliases inside zscaler.client are
// refused, and the whole document must pass yaml.v3's alias-expansion limit.
// No error message ever holds a secret or a value read from a file.
package sdkconfig
