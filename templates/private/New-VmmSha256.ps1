function New-VmmSha256 {
    <#
    .SYNOPSIS
        A SHA-256 hasher: on Windows PowerShell the Windows CNG implementation, elsewhere the platform's own.
    .DESCRIPTION
        On .NET Framework, [SHA256]::Create() gives the managed implementation, several times slower than
        SHA256Cng (Windows' own, also used in FIPS mode). .NET (PowerShell 7) already returns the platform
        implementation. Library backups hash every byte, so this decides their speed on Windows PowerShell.
    #>
    [CmdletBinding()]
    [OutputType([System.Security.Cryptography.HashAlgorithm])]
    param()

    if ($PSVersionTable.PSEdition -ne 'Core') {
        try {
            return (New-Object -TypeName System.Security.Cryptography.SHA256Cng)
        } catch {
            Write-Verbose "SHA256Cng is not available ($($_.Exception.Message)); using the default SHA-256."
        }
    }
    [System.Security.Cryptography.SHA256]::Create()
}
