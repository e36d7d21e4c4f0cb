import "server-only";
// @peculiar/x509 registers its algorithms through tsyringe, which needs the Reflect metadata API before
// it loads. Server-side only: the browser's lib/sealing uses the ASN.1 packages directly instead.
import "reflect-metadata";
