#!/bin/sh
# Regenerates the keystores used by httpsec's tests with the JDK's keytool.
# Run from this directory: sh gen.sh
set -eu
rm -f *.jks *.p12 *.pem *.csr
KT="keytool -noprompt"
DAYS=36500
# CA
$KT -genkeypair -alias ca -keyalg EC -groupname secp256r1 -dname "CN=connect-go test CA" \
    -ext bc:c -validity $DAYS -keystore ca.p12 -storetype PKCS12 -storepass capass
$KT -exportcert -rfc -alias ca -keystore ca.p12 -storepass capass -file ca.pem
# server key (PKCS12), signed by the CA, for localhost / 127.0.0.1
$KT -genkeypair -alias server -keyalg RSA -keysize 2048 -dname "CN=localhost" -validity $DAYS \
    -keystore server.p12 -storetype PKCS12 -storepass storepass
$KT -certreq -alias server -keystore server.p12 -storepass storepass -file server.csr
$KT -gencert -alias ca -keystore ca.p12 -storepass capass -infile server.csr -outfile server.pem -rfc \
    -validity $DAYS -ext san=dns:localhost,ip:127.0.0.1 -ext eku=serverAuth
cat ca.pem server.pem > server-chain.pem
$KT -importcert -alias ca -file ca.pem -keystore server.p12 -storepass storepass
$KT -importcert -alias server -file server-chain.pem -keystore server.p12 -storepass storepass
# the same key in a JKS keystore with a distinct key password
$KT -importkeystore -srckeystore server.p12 -srcstoretype PKCS12 -srcstorepass storepass -srcalias server \
    -destkeystore server.jks -deststoretype JKS -deststorepass storepass -destkeypass keypass -destalias server
# client key signed by the CA (for mTLS)
$KT -genkeypair -alias client -keyalg EC -groupname secp256r1 -dname "CN=client" -validity $DAYS \
    -keystore client.p12 -storetype PKCS12 -storepass clientpass
$KT -certreq -alias client -keystore client.p12 -storepass clientpass -file client.csr
$KT -gencert -alias ca -keystore ca.p12 -storepass capass -infile client.csr -outfile client.pem -rfc \
    -validity $DAYS -ext eku=clientAuth
cat ca.pem client.pem > client-chain.pem
$KT -importcert -alias ca -file ca.pem -keystore client.p12 -storepass clientpass
$KT -importcert -alias client -file client-chain.pem -keystore client.p12 -storepass clientpass
# truststores holding the CA
$KT -importcert -alias ca -file ca.pem -keystore truststore.jks -storetype JKS -storepass trustpass
$KT -importcert -alias ca -file ca.pem -keystore truststore.p12 -storetype PKCS12 -storepass trustpass
rm -f *.csr server.pem client.pem server-chain.pem client-chain.pem ca.p12
