// Jest setup: the SDK's Node 20 end-of-support notice is noise in test output (local/README.md, Traps).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
