function Test-VmmSqlBackupFile {
    <#
    .SYNOPSIS
        Verifies a backup file with RESTORE VERIFYONLY ... WITH CHECKSUM; throws the SqlException when it fails.
    .DESCRIPTION
        A backup taken without checksums (SQL Server error 3187 to WITH CHECKSUM) is verified again without
        CHECKSUM, with a warning that only its structure could be checked.
    .PARAMETER Connection
        An open SqlConnection.
    .PARAMETER Path
        The backup file as SQL Server sees it.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [System.Data.SqlClient.SqlConnection] $Connection,

        [Parameter(Mandatory = $true)]
        [string] $Path,

        [int] $CommandTimeout = 0,

        [int] $ProgressId = 1,

        [string] $Activity = 'Verifying the backup'
    )

    $query = @{ Connection = $Connection; Parameter = ([ordered]@{ path = $Path }); CommandTimeout = $CommandTimeout; ProgressId = $ProgressId; Activity = $Activity }
    try {
        $null = Invoke-VmmSqlQuery @query -Query 'RESTORE VERIFYONLY FROM DISK = @path WITH CHECKSUM;'
    } catch {
        if (-not ($_.Exception -is [System.Data.SqlClient.SqlException] -and $_.Exception.Number -eq 3187)) { throw }
        Write-Warning "The backup '$Path' holds no checksums; RESTORE VERIFYONLY checked its structure only."
        $null = Invoke-VmmSqlQuery @query -Query 'RESTORE VERIFYONLY FROM DISK = @path;'
    }
}
