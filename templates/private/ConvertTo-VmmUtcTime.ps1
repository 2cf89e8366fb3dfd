function ConvertTo-VmmUtcTime {
    <#
    .SYNOPSIS
        A time read from a manifest (a DateTime, as PowerShell 7's ConvertFrom-Json gives, or an ISO 8601
        string, as Windows PowerShell 5.1's gives) as a UTC DateTime. A time without a zone is taken as UTC.
        Throws when the value is not a date.
    .PARAMETER Value
        The value read.
    #>
    [CmdletBinding()]
    [OutputType([datetime])]
    param(
        [Parameter(Mandatory = $true)]
        [AllowNull()]
        $Value
    )

    if ($Value -is [datetime]) {
        if ($Value.Kind -eq [System.DateTimeKind]::Unspecified) { return [datetime]::SpecifyKind($Value, [System.DateTimeKind]::Utc) }
        return $Value.ToUniversalTime()
    }
    $parsed = [datetime]::Parse([string]$Value, [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::RoundtripKind)
    if ($parsed.Kind -eq [System.DateTimeKind]::Unspecified) { return [datetime]::SpecifyKind($parsed, [System.DateTimeKind]::Utc) }
    $parsed.ToUniversalTime()
}
